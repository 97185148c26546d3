export type CacheLayer = 'l1' | 'l2';

/** Who asked for an invalidation: application code, the TypeORM subscriber, Postgres change data capture, a decorator, the HTTP cache, an admin. */
export type InvalidationSource = 'api' | 'subscriber' | 'cdc' | 'decorator' | 'http' | 'admin' | 'write-behind';

/**
 * Typed events the engine emits. `group` is the key group (e.g. `product` for `product:42`),
 * never the raw key, so metrics built on these events have bounded label cardinality.
 */
export interface CacheEventMap {
  hit: { layer: CacheLayer; group: string; stale: boolean };
  miss: { group: string };
  set: { layer: CacheLayer; group: string; bytes: number };
  /** A fill whose dependencies moved while its loader ran; the value was returned, not stored. */
  'fill-refused': { group: string };
  delete: { group: string };
  invalidate: { tags: readonly string[]; source: InvalidationSource };
  clear: { namespace: string; source: InvalidationSource };
  /** Keys removed by a glob (`invalidatePattern`); `removed` is how many Redis held. */
  pattern: { namespace: string; removed: number; source: InvalidationSource };
  /** Time spent in one Redis operation, or in one loader call. */
  operation: { layer: 'l2' | 'loader'; operation: string; seconds: number };
  error: { layer: CacheLayer; operation: string; error: Error };
  /** Another instance's invalidation reached this instance; `lag` is seconds since it was sent. */
  bus: { deps: readonly string[]; keys: number; lag: number | undefined };
}

export type CacheEventName = keyof CacheEventMap;
export type CacheEventListener<E extends CacheEventName> = (event: CacheEventMap[E]) => void;
