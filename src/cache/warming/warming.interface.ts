import type { CacheSetOptions } from '../core/cache-entry.js';
import type { Loader } from '../core/cache-stack.js';

/** `@CacheWarmer(options)` on a provider method `(ctx: WarmContext) => Promise<unknown>`. */
export interface CacheWarmerOptions {
  /** Unique name: the admin API and metrics use it. */
  name: string;
  /** A cron pattern (`0 * * * *`) or an interval in ms; run once per tick across all instances. */
  schedule?: string | number;
  /** BullMQ priority: 1 is the highest. Default: none (FIFO). */
  priority?: number;
  /** How many items `ctx.each` loads at once. Default 4. */
  concurrency?: number;
  /** Run once when a deployment starts (once across its instances). Default false. */
  onStartup?: boolean;
  /** Attempts before the run is marked failed (exponential backoff from 1 s). Default 3. */
  attempts?: number;
}

/** What a warmer gets: progress reporting, and warming that goes through the read path's fill. */
export interface WarmContext {
  readonly warmer: string;
  /** Reports progress: `done` of `total` items (shown as 0–100 by the admin API). */
  progress(done: number, total: number): Promise<void>;
  /**
   * Loads and stores `key` now (fresh or not) with the same compare-and-set as a read: an entry
   * invalidated while its value loaded is not overwritten. Counts the item as warmed if stored.
   */
  warm<T>(key: string, loader: Loader<T>, options?: CacheSetOptions & { namespace?: string }): Promise<T>;
  /** Runs `fn` over `items`, `concurrency` at a time, reporting progress as it goes. */
  each<I>(items: readonly I[], fn: (item: I) => Promise<unknown>): Promise<void>;
}

/** `CacheWarmingModule.forRoot(...)`. */
export interface CacheWarmingOptions {
  /** BullMQ key prefix. Default `<cache prefix>-bull` (BullMQ connects like the cache module: same servers). */
  queuePrefix?: string;
  /** Queue name. Default `cache-warm`. */
  queueName?: string;
  /** Warm jobs this instance runs at once. Default 1. */
  workerConcurrency?: number;
  /**
   * When `onStartup` warmers are enqueued: at application bootstrap (default), or `'manual'`: when
   * the application calls `CacheWarmingService.runStartupWarmers()`, once its data is ready
   * (after migrations and seeding), so that no warmer caches what is not there yet.
   */
  startup?: 'bootstrap' | 'manual';
  /** Identifies a deployment: `onStartup` warmers run once per id. Default `DEPLOYMENT_ID` env, else `default`. */
  deploymentId?: string;
  /** Predictive refresh-ahead (see README); false to turn it off. */
  refreshAhead?:
    | {
        /** How often the hot keys are checked, ms. Default 10 000. */
        every?: number;
        /** Hot keys considered. Default 100. */
        top?: number;
        /** Refresh a hot key when less than this much of its TTL is left, ms. Default 30 000. */
        threshold?: number;
        /** One read in `sample` is recorded. Default 10. */
        sample?: number;
        /** Scores halve every `halfLife` ms. Default 600 000 (10 min). */
        halfLife?: number;
      }
    | false;
}

export interface WarmJobData {
  warmer: string;
  reason: 'schedule' | 'startup' | 'manual';
}

export interface WarmJobResult {
  items: number;
  durationMs: number;
}
