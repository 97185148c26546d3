import type { Provider } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { CacheService } from '../cache.service.js';
import { KeyvCacheStore } from './keyv-cache.store.js';

/**
 * Nest's `CACHE_MANAGER` as a real cache-manager 7 `Cache` backed by our engine. Keyv's own
 * serialization and key prefix are off: values go to our serializer as they are, keys unchanged.
 */
export const cacheManagerProvider: Provider = {
  provide: CACHE_MANAGER,
  inject: [CacheService],
  useFactory: (cache: CacheService) =>
    createCache({
      stores: [
        new Keyv({
          store: new KeyvCacheStore(cache),
          serialize: undefined,
          deserialize: undefined,
          useKeyPrefix: false,
          namespace: undefined,
        }),
      ],
    }),
};
