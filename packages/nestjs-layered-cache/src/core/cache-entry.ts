/** An entry as both tiers hand it to the stack. Times are local epoch milliseconds. */
export interface CacheEntry<T = unknown> {
  value: T;
  /** Until this instant the entry is fresh. */
  freshUntil: number;
  /** After `freshUntil` and until this instant the entry may be served stale (grace). */
  staleUntil: number;
  /** After `staleUntil` and until this instant the entry is kept only to stand in for a failing loader (fail-safe). */
  keepUntil: number;
  /** When the entry was written (derived from remaining TTL for L2 entries, so clock-free). */
  storedAt: number;
  /** What the entry depends on: its namespace chain (`n:…`) and its tags (`t:…`). */
  deps: readonly string[];
}

/** Per-entry write options. Every duration is in milliseconds. */
export interface CacheSetOptions {
  /** How long the entry is fresh, in ms. Defaults to the module's `ttl`. */
  ttl?: number;
  /** How long after `ttl` an expired entry may still be served stale while it refreshes, in ms. */
  grace?: number;
  /**
   * Fail-safe: how long after its grace the entry is kept to stand in for a loader that fails, in
   * ms (0: not kept). Defaults to the module's `failSafe.maxStale`.
   */
  failSafe?: number;
  /** Tags to invalidate the entry by, e.g. `['product:42', 'products']`. */
  tags?: readonly string[];
  /** Keys (in the same namespace) whose change or deletion also invalidates this entry. */
  dependsOn?: readonly string[];
  /** Cut the loader off after this many ms (its signal is aborted). Default: the module's `loaderTimeout`. */
  timeout?: number;
}

/**
 * Produces the value of a missing or expired entry. `signal` aborts when the loader is cut off
 * (timeout): pass it to fetch, database drivers… so the work stops too.
 */
export type Loader<T> = (signal: AbortSignal) => T | Promise<T>;
