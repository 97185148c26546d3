import type { CacheEventRequest } from '../events/cache-events.interface.js';

/** Rows waiting, oldest wait, batches in flight and dead batches of one entity, read from Redis. */
export interface WriteBehindCounts {
  entity: string;
  pendingRows: number;
  oldestMs: number | null;
  batches: number;
  dead: number;
}

/** One batch's outcome: applied to the database, failed (retried later), or dead-lettered. */
export interface WriteBehindBatchEvent {
  entity: string;
  kind: 'applied' | 'failed' | 'dead';
  rows: number;
}

// Write-behind's events, on the cache module's one emitter.
declare module '../events/cache-events.interface.js' {
  interface CacheEventMap {
    'write-behind:batch': WriteBehindBatchEvent;
    /** Asked at scrape time (`cache.request('write-behind:counts')`); answered with `counts()`. */
    'write-behind:counts': CacheEventRequest<WriteBehindCounts[]>;
  }
}
