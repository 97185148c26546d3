import type { CircuitBreakerOptions } from './circuit-breaker.js';
import type { FailSafeRetryOptions } from './fail-safe.js';
import type { FillLockOptions } from './fill-lock.js';

/** The engine's settings, with the module's defaults applied (see CacheModuleOptions). */
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
  /** Reads and fill steps Redis has not answered within this many ms are misses (0: none). */
  softTimeout: number;
  /** Skip Redis while it keeps failing, or false to always try it. */
  circuit: CircuitBreakerOptions | false;
  /** Longest a transaction's tags are fenced without its commit or rollback being seen, ms. */
  maxTransactionHold: number;
  /** Name of the root namespace, which every entry depends on. */
  rootNamespace: string;
}
