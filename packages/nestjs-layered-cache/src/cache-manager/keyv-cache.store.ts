import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { CacheView } from '../cache-view.js';

/**
 * A Keyv store whose storage is our engine, so cache-manager 7 (and with it Nest's
 * `CACHE_MANAGER`, `CacheInterceptor`, `@CacheKey`, `@CacheTTL`) reads and writes the same L1/L2
 * entries as `CacheService`, with the same serializer, tags, metrics and invalidation. Expiry is
 * ours (Redis TTL), so values are handed to Keyv without its `expires` wrapper clock.
 */
export class KeyvCacheStore extends EventEmitter implements KeyvStoreAdapter {
  opts = {};
  namespace?: string;

  constructor(private readonly cache: CacheView) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const value = await this.cache.get<Value>(key);
    return value === undefined ? undefined : { value, expires: undefined };
  }

  async getMany<Value>(keys: string[]): Promise<StoredData<Value | undefined>[]> {
    const values = await this.cache.mget<Value>(keys);
    return values.map((value) => (value === undefined ? undefined : { value, expires: undefined }));
  }

  /** `ttl` in ms, as cache-manager 7 passes it; none means the module's default. */
  async set(key: string, data: { value: unknown } | undefined, ttl?: number): Promise<boolean> {
    if (data?.value === undefined) return false;
    await this.cache.set(key, data.value, ttl ? { ttl } : {});
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return this.cache.delete(key);
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    const results = await Promise.all(keys.map((key) => this.cache.delete(key)));
    return results.some(Boolean);
  }

  async has(key: string): Promise<boolean> {
    return this.cache.has(key);
  }

  /** Clears the namespace the store is bound to (one version bump), not the whole Redis. */
  async clear(): Promise<void> {
    await this.cache.clear();
  }
}
