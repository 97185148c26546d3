/** A finished warm run on this instance: completed, or failed after its last attempt. */
export interface WarmRun {
  warmer: string;
  status: 'completed' | 'failed';
  /** Entries stored (0 when failed). */
  items: number;
  durationMs: number;
}

// Warming's events, on the cache module's one emitter: `cache.on('warming:run', run => …)`.
declare module '../events/cache-events.interface.js' {
  interface CacheEventMap {
    'warming:run': WarmRun;
  }
}
