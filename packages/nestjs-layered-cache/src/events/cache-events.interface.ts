export type CacheLayer = 'l1' | 'l2';

/** Who asked for an invalidation: application code, the TypeORM subscriber, Postgres change data capture, a decorator, the HTTP cache, an admin. */
export type InvalidationSource = 'api' | 'subscriber' | 'cdc' | 'decorator' | 'http' | 'admin' | 'write-behind';

/**
 * A question asked through the events (e.g. by the metrics module when Prometheus scrapes): each
 * listener answers with `reply`, at once or with a promise; `CacheService.request` gathers them.
 */
export interface CacheEventRequest<T> {
  reply(answer: T | PromiseLike<T>): void;
}

/**
 * Typed events of one cache module: the engine's, and those each feature declares in its own
 * folder by merging into this interface, e.g. (warming/warming.events.ts):
 *
 * ```ts
 * declare module '../events/cache-events.interface.js' {
 *   interface CacheEventMap { 'warming:run': WarmRun }
 * }
 * ```
 *
 * Every event goes through the one emitter of the module's engine (`CacheService.on` / `emit`).
 * `group` is the key group (e.g. `product` for `product:42`), never the raw key, so metrics built
 * on these events have bounded label cardinality.
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
  /**
   * A `get` or `getOrSet` of `key` in `namespace` (its full name), hit or miss: the raw key, for
   * in-process consumers such as the warming module's access tracker, never for metric labels.
   * Emitted only while someone listens.
   */
  access: { namespace: string; key: string };
}

export type CacheEventName = keyof CacheEventMap;
export type CacheEventListener<E extends CacheEventName> = (event: CacheEventMap[E]) => void;

/** Events whose payload is a `CacheEventRequest`. */
export type CacheRequestName = {
  [E in CacheEventName]: CacheEventMap[E] extends CacheEventRequest<unknown> ? E : never;
}[CacheEventName];

/** What the listeners of request `E` answer. */
export type CacheRequestAnswer<E extends CacheRequestName> =
  CacheEventMap[E] extends CacheEventRequest<infer T> ? T : never;
