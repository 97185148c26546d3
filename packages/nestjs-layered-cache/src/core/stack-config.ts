import type { CircuitBreakerOptions } from './circuit-breaker.js';
import type { FailSafeRetryOptions } from './fail-safe.js';
import type { FillLockOptions } from './fill-lock.js';

/** The engine's settings, resolved from CacheModuleOptions by resolveCacheOptions (options/). */
export interface StackConfig {
  /** Default freshness, ms. */
  ttl: number;
  /** Default grace, ms. */
  grace: number;
  /** Default loader timeout, ms (0: none). */
  loaderTimeout: number;
  /** Default time entries are kept after grace to stand in for a failing loader, ms (0: none). */
  failSafe: number;
  /** Backoff of failing loaders, and which errors a kept entry may hide. */
  failSafeRetry: FailSafeRetryOptions;
  /** Serialized values larger than this are not cached (counted, logged once). */
  maxValueBytes: number;
  keyGroup: (key: string) => string;
  /** Cross-instance stampede lock, or false to let every instance load on its own. */
  lock: FillLockOptions | false;
  /**
   * Reads and fill steps Redis has not answered within this many ms are misses (0: none). Never
   * invalidations or writes. Costs loads and stores, never correctness: see RemoteTier.
   */
  softTimeout: number;
  /**
   * Skip Redis while it keeps failing, or false to always try it. A skipped operation is a failed
   * one: reads miss, fills are not written to L2, invalidations and writes are kept and replayed.
   */
  circuit: CircuitBreakerOptions | false;
  /**
   * Longest a transaction's tags are fenced without its commit or rollback being seen, ms. Then
   * they are invalidated (as if it committed) and released: fails safe.
   */
  maxTransactionHold: number;
  /** Name of the root namespace, which every entry depends on. */
  rootNamespace: string;
}
