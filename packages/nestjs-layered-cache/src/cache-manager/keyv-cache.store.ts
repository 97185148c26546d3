import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { CacheView } from '../cache-view.js';
import type { L2Inspector } from '../l2/l2-inspector.js';

/**
 * What Keyv hands a store when its serializer is on: an opaque string (JSON of `{ value, expires }`).
 * Kept boxed so that a plain string stored through `CacheService` is never mistaken for one.
 */
const SERIALIZED = '__keyvSerialized';
type Boxed = { [SERIALIZED]: string };
const isBoxed = (value: unknown): value is Boxed =>
  typeof value === 'object' && value !== null && typeof (value as Boxed)[SERIALIZED] === 'string';

/** Keys read per SCAN page by `iterator()`: one page in memory at a time, however large the cache. */
const SCAN_PAGE = 100;

/**
 * A Keyv store whose storage is our engine, so cache-manager 7 (and with it Nest's
 * `CACHE_MANAGER`, `CacheInterceptor`, `@CacheKey`, `@CacheTTL`) reads and writes the same L1/L2
 * entries as `CacheService`, with the same serializer, tags, metrics and invalidation.
 *
 * Expiry is the engine's (Redis TTL): reads carry `expires`, the instant the entry stops being
 * fresh, so Keyv's `get(key, { raw: true })`, cache-manager's `ttl(key)` and
 * `wrap(..., { refreshThreshold })` see the real remaining freshness. A Keyv `namespace` maps to a
 * nested engine namespace, so `clear()` is one version bump and `iterator()` only sees its own keys.
 */
export class KeyvCacheStore extends EventEmitter implements KeyvStoreAdapter {
  /** `dialect: 'redis'` is how Keyv decides a store can iterate (its keys live in Redis, SCAN-able). */
  opts: { dialect: string; url: string } = { dialect: 'redis', url: '' };
  /** Set by Keyv; keys then arrive as `<namespace>:<key>`. */
  namespace?: string;

  constructor(
    private readonly cache: CacheView,
    /** Needed by `iterator()` only; without Redis there is nothing to scan. */
    private readonly inspector?: L2Inspector | null,
  ) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const [data] = await this.getMany<Value>([key]);
    return data as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<StoredData<Value | undefined>[]> {
    const entries = await this.view().mgetWithExpiry<Value | Boxed>(keys.map((key) => this.local(key)));
    return entries.map((entry) => toStored<Value>(entry));
  }

  /** `ttl` in ms, as Keyv passes it; none (Keyv's "never") means the module's default `ttl`. */
  async set(key: string, data: unknown, ttl?: number): Promise<boolean> {
    const value = toEngine(data);
    if (value === undefined) return false;
    await this.view().set(this.local(key), value, ttl ? { ttl } : {});
    return true;
  }

  /** Resolves to one boolean per entry at run time (what Keyv's `setMany` returns); typed as Keyv declares it. */
  async setMany(entries: { key: string; value: unknown; ttl?: number }[]): Promise<void> {
    const writable = entries.map(({ key, value, ttl }) => ({ key: this.local(key), value: toEngine(value), ttl }));
    await this.view().mset(
      writable
        .filter((e) => e.value !== undefined)
        .map(({ key, value, ttl }) => ({ key, value, ...(ttl ? { ttl } : {}) })),
    );
    return writable.map((e) => e.value !== undefined) as unknown as void;
  }

  async delete(key: string): Promise<boolean> {
    return this.view().delete(this.local(key));
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    const results = await Promise.all(keys.map((key) => this.delete(key)));
    return results.some(Boolean);
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async hasMany(keys: string[]): Promise<boolean[]> {
    return (await this.getMany(keys)).map((data) => data !== undefined);
  }

  /** Clears the namespace the store is bound to (one version bump), never the whole Redis. */
  async clear(): Promise<void> {
    await this.view().clear();
  }

  /**
   * Fresh entries of `namespace` (Keyv's, nested in ours), one SCAN page at a time: memory stays
   * bounded by the page, and keys of other namespaces, nested ones included, are never yielded.
   */
  async *iterator<Value>(namespace?: string): AsyncGenerator<(string | Awaited<Value> | undefined)[], void> {
    if (!this.inspector) {
      throw new Error('KeyvCacheStore.iterator() needs Redis (CacheModule with `redis`): L1 alone cannot be listed.');
    }
    const view = this.view(namespace);
    const keyPrefix = view.fullKey('_').slice(0, -1);
    const keyOf = (local: string) => (namespace ? `${namespace}:${local}` : local);
    let cursor = '0';
    do {
      const page = await this.inspector.scan(`${escapeGlob(keyPrefix)}*`, cursor, SCAN_PAGE);
      cursor = page.cursor;
      const locals = page.keys.map((k) => k.key.slice(keyPrefix.length));
      if (locals.length === 0) continue;
      const entries = await view.mgetWithExpiry<Value | Boxed>(locals);
      for (let i = 0; i < locals.length; i++) {
        const data = toStored<Value>(entries[i]);
        // Keyv's declared type says value; what it reads (and deserializes) is the raw stored data.
        if (data !== undefined) yield [keyOf(locals[i]!), data as unknown as Awaited<Value>];
      }
    } while (cursor !== '0');
  }

  /** The engine and its Redis client belong to `CacheModule`, which closes them on shutdown. */
  async disconnect(): Promise<void> {
    this.emit('disconnect');
  }

  /** The key within the namespace's view: Keyv prefixes keys with `<namespace>:`. */
  private local(key: string): string {
    const ns = this.namespace;
    return ns && key.startsWith(`${ns}:`) ? key.slice(ns.length + 1) : key;
  }

  private views = new Map<string, CacheView>();

  /** Keyv's namespace as a nested engine namespace (validated there: letters, digits, `_`, `-`). */
  private view(namespace = this.namespace): CacheView {
    if (!namespace) return this.cache;
    let view = this.views.get(namespace);
    if (!view) {
      view = this.cache.namespace(namespace);
      this.views.set(namespace, view);
    }
    return view;
  }
}

function toEngine(data: unknown): unknown {
  if (typeof data === 'string') return { [SERIALIZED]: data };
  if (typeof data === 'object' && data !== null && 'value' in data) return (data as { value: unknown }).value;
  return undefined;
}

function toStored<Value>(
  entry: { value: Value | Boxed; expiresAt: number } | undefined,
): StoredData<Value | undefined> | undefined {
  if (entry === undefined) return undefined;
  // Keyv's own serialized string carries Keyv's own `expires`: hand it back untouched.
  if (isBoxed(entry.value)) return entry.value[SERIALIZED] as unknown as StoredData<Value>;
  return { value: entry.value, expires: entry.expiresAt };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
