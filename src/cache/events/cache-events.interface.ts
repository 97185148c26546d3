export type CacheLayer = 'l1' | 'l2';

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
  invalidate: { tags: readonly string[] };
  clear: { namespace: string };
  error: { layer: CacheLayer; operation: string; error: Error };
  /** Another instance's invalidation reached this instance (dependencies bumped, keys changed). */
  bus: { deps: readonly string[]; keys: number };
}

export type CacheEventName = keyof CacheEventMap;
export type CacheEventListener<E extends CacheEventName> = (event: CacheEventMap[E]) => void;
