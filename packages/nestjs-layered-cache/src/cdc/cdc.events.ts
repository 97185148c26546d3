import type { CacheEventRequest } from '../events/cache-events.interface.js';
import type { CdcStatus } from './cdc-options.interface.js';

/** Invalidations applied for a batch of committed transactions read from the slot (this instance leads). */
export interface CdcAppliedEvent {
  slot: string;
  transactions: number;
  /** Row changes in those transactions. */
  changes: number;
  /** Tags bumped for them. */
  tags: number;
  /** Commit of the batch's last transaction → its invalidations applied. */
  delayMs: number;
}

// Change data capture's events, on the cache module's one emitter.
declare module '../events/cache-events.interface.js' {
  interface CacheEventMap {
    'cdc:applied': CdcAppliedEvent;
    /** Asked at scrape time (`cache.request('cdc:status')`); answered with `status()`. */
    'cdc:status': CacheEventRequest<CdcStatus>;
  }
}
