/**
 * Port of cache-manager 7 test/init.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `createCache()` without stores would build cache-manager's own in-memory Keyv, so every
 * test passes the Keyv CacheManagerModule builds over a real engine (L1 + Redis, see engine.ts);
 * faker replaced by crypto. "multiple stores" is `skip`: CacheManagerModule rejects several stores.
 */
import { createCache } from 'cache-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { alpha, between, sample, sleep, useEngine } from './engine.js';

describe('init', () => {
  const engine = useEngine();
  let ttl = 1000;
  const data = { key: '', value: '' };

  beforeEach(async () => {
    data.key = alpha();
    data.value = sample();
    ttl = between(500, 1000);
  });

  it('basic', async () => {
    const cache = createCache({ stores: [engine.keyv()] });
    expect(cache).toBeDefined();
  });

  it('default ttl', async () => {
    const cache = createCache({ ttl, stores: [engine.keyv()] });
    await cache.set(data.key, data.value);
    await sleep(ttl + 100);
    await expect(cache.get(data.key)).resolves.toBeUndefined();
  });

  it('single store', async () => {
    const cache = createCache({ stores: [engine.keyv()] });
    expect(cache).toBeDefined();
  });

  it.skip('multiple stores (n/a: several stores)', () => {});
});
