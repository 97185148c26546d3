import type { CacheSetOptions } from './core/cache-entry.js';
import type { CacheStack, Loader } from './core/cache-stack.js';
import type { NamespacePath } from './core/namespace-path.js';
import type { InvalidationSource } from './events/cache-events.interface.js';

/**
 * The public cache API, bound to one namespace. `CacheService` is the root view; `namespace()`
 * returns nested views. Every duration is in milliseconds. Values come back deep-frozen when they
 * are plain data, or as a fresh copy otherwise, so no caller can alter what the next one reads.
 */
export class CacheView {
  constructor(
    protected readonly stack: CacheStack,
    protected readonly path: NamespacePath,
  ) {}

  /** The dotted name of this namespace, e.g. `default.users`. */
  get namespaceName(): string {
    return this.path.name;
  }

  /** The Redis key `key` is stored under, e.g. `cache:default:product:42` (admin tools, debugging). */
  fullKey(key: string): string {
    return this.path.keyOf(key);
  }

  /** A view whose keys live in a namespace nested in this one. */
  namespace(name: string): CacheView {
    return new CacheView(this.stack, this.path.child(name));
  }

  /** The fresh value of `key`, or undefined. */
  get<T>(key: string): Promise<T | undefined> {
    return this.stack.get<T>(this.path, key);
  }

  /**
   * The fresh value of `key` if this process holds it in memory, synchronously; never asks Redis.
   * For hot paths that can fall back to `get`/`getOrSet` (the HTTP cache answers hits with it).
   */
  peek<T>(key: string): T | undefined {
    return this.stack.peek<T>(this.path, key);
  }

  /** Fresh values of `keys` in order (undefined for misses); one Redis round trip for all misses. */
  mget<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    return this.stack.mget<T>(this.path, keys);
  }

  /**
   * Fresh values of `keys` with the epoch-ms instant each stops being fresh (undefined for misses).
   * For adapters whose contract carries an expiry (cache-manager's `ttl()`, Keyv's `expires`).
   */
  mgetWithExpiry<T>(keys: readonly string[]): Promise<({ value: T; expiresAt: number } | undefined)[]> {
    return this.stack.mgetWithExpiry<T>(this.path, keys);
  }

  /** Stores `value` (not `undefined`: store `null` for "known absent"). */
  set(key: string, value: unknown, options?: CacheSetOptions): Promise<void> {
    return this.stack.writes.set(this.path, key, value, options);
  }

  /** Stores several entries in one Redis round trip. */
  mset(entries: readonly ({ key: string; value: unknown } & CacheSetOptions)[]): Promise<void> {
    return this.stack.writes.mset(this.path, entries);
  }

  /**
   * The cached value, or the loader's result, cached. Concurrent calls for one key run the loader
   * once. Within `grace` after expiry the old value is returned while one refresh runs. A result
   * whose tags were invalidated while the loader ran is returned but not stored.
   */
  getOrSet<T>(key: string, loader: Loader<T>, options?: CacheSetOptions): Promise<T> {
    return this.stack.getOrSet<T>(this.path, key, loader, options);
  }

  /**
   * Runs `loader` now (even if `key` is fresh) and stores its result, unless something the entry
   * depends on was invalidated while it ran (then `stored` is false). For warming and refresh-ahead.
   */
  refresh<T>(key: string, loader: Loader<T>, options?: CacheSetOptions): Promise<{ value: T; stored: boolean }> {
    return this.stack.refresh<T>(this.path, key, loader, options);
  }

  /** Removes `key`; true if it held a value. */
  delete(key: string): Promise<boolean> {
    return this.stack.writes.delete(this.path, key);
  }

  has(key: string): Promise<boolean> {
    return this.stack.has(this.path, key);
  }

  /** Invalidates every entry carrying any of `tags`, in every namespace. `source` labels metrics. */
  async invalidateTags(tags: readonly string[], source?: InvalidationSource): Promise<void> {
    await this.stack.writes.invalidateTags(tags, source);
  }

  /**
   * Removes this namespace's entries whose keys match a glob (`product:*`), using SCAN (never
   * KEYS) on every Redis master. O(keys in Redis): for admin use, not the request path. Returns
   * how many entries Redis held.
   */
  invalidatePattern(glob: string, source?: InvalidationSource): Promise<number> {
    return this.stack.writes.invalidatePattern(this.path, glob, source);
  }

  /** Invalidates this namespace and those nested in it (O(1): one version bump). */
  clear(source?: InvalidationSource): Promise<void> {
    return this.stack.writes.clear(this.path, source);
  }
}
