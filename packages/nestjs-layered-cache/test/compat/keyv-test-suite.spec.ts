/**
 * Keyv's own store compliance suite (`@keyv/test-suite`, unmodified) against `KeyvCacheStore` on a
 * real engine (L1 + Redis). Adapted: only construction — each `store()` is a new adapter over one
 * `CacheService` with its own key prefix, the way `@keyv/redis` runs the suite over one client.
 * Keyv's default serializer is on here (the suite's choice), so the adapter is exercised in its
 * "opaque string" mode as well as the object mode `CacheManagerModule` uses.
 */
import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import { Keyv } from 'keyv';
import * as Vitest from 'vitest';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { KeyvCacheStore } from '../../src/cache-manager/index.js';
import { CACHE_L2_INSPECTOR } from '../../src/cache.internal-constants.js';
import type { L2Inspector } from '../../src/l2/l2-inspector.js';
import { createCacheInstance, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';

describe('@keyv/test-suite against KeyvCacheStore', () => {
  let instance: CacheInstance;
  let inspector: L2Inspector;
  const store = () => new KeyvCacheStore(instance.cache, inspector);

  beforeAll(async () => {
    instance = await createCacheInstance({ prefix: uniquePrefix('keyv'), redis: { url: inject('redisUrl') } });
    inspector = instance.app.get(CACHE_L2_INSPECTOR);
  });
  afterAll(() => instance.close());

  keyvTestSuite(Vitest, Keyv, store);
  keyvIteratorTests(Vitest, Keyv, store);
});
