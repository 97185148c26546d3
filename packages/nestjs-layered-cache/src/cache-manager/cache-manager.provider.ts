import type { Provider } from '@nestjs/common';
import { Cache, CACHE_MANAGER } from '@nestjs/cache-manager';
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import type { CacheView } from '../cache-view.js';
import { CacheService } from '../cache.service.js';
import { CACHE_L2_INSPECTOR } from '../cache.internal-constants.js';
import type { L2Inspector } from '../l2/l2-inspector.js';
import { KeyvCacheStore } from './keyv-cache.store.js';

/** What `CacheManagerModule.forRoot` passes on to cache-manager's `createCache`. */
export interface CacheManagerOptions {
  /** Makes `CACHE_MANAGER` and `Cache` injectable everywhere. */
  isGlobal?: boolean;
  /** cache-manager's default `ttl` (ms); without it, `CacheModule`'s `ttl` applies. */
  ttl?: number;
  /** cache-manager's default `refreshThreshold` (ms) for `wrap`. */
  refreshThreshold?: number;
  /** cache-manager's `cacheId` (prefix of `wrap`'s single-flight keys), random by default. */
  cacheId?: string;
}

export const CACHE_MANAGER_OPTIONS = Symbol('CACHE_MANAGER_OPTIONS');

/**
 * The Keyv `CACHE_MANAGER` stores into. Keyv's own serialization and key prefix are off: values go
 * to our serializer as they are (types survive), keys unchanged (shared with `CacheService`).
 */
export function createEngineKeyv(cache: CacheView, inspector?: L2Inspector | null): Keyv {
  return new Keyv({
    store: new KeyvCacheStore(cache, inspector),
    serialize: undefined,
    deserialize: undefined,
    useKeyPrefix: false,
    namespace: undefined,
  });
}

/** Nest's `CACHE_MANAGER` as a real cache-manager 7 `Cache` backed by our engine. */
export const cacheManagerProviders: Provider[] = [
  {
    provide: CACHE_MANAGER,
    inject: [CacheService, CACHE_MANAGER_OPTIONS, { token: CACHE_L2_INSPECTOR, optional: true }],
    useFactory: (cache: CacheService, options: CacheManagerOptions, inspector: L2Inspector | null) =>
      createCache({
        ttl: options.ttl,
        refreshThreshold: options.refreshThreshold,
        cacheId: options.cacheId,
        stores: [createEngineKeyv(cache, inspector)],
      }),
  },
  // `@nestjs/cache-manager` exports a `Cache` class for this: `constructor(private cache: Cache)`.
  { provide: Cache, useExisting: CACHE_MANAGER },
];
