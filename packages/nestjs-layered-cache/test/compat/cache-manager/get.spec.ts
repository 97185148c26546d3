/**
 * Port of cache-manager 7 test/get.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `new Keyv()` is the Keyv CacheManagerModule builds over a real engine (L1 + Redis,
 * see engine.ts); faker replaced by crypto. Tests with several stores or `nonBlocking` are kept as
 * `it.skip`: CacheManagerModule rejects those options (one engine is the only store).
 */
import type { Keyv } from 'keyv';
import { createCache } from 'cache-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { alpha, between, sample, sleep, useEngine } from './engine.js';

describe('get', () => {
  const engine = useEngine();
  let keyv: Keyv;
  let cache: ReturnType<typeof createCache>;
  let ttl = 500;
  const data = { key: '', value: '' };

  beforeEach(async () => {
    data.key = alpha();
    data.value = sample();
    ttl = between(500, 1000);
    keyv = engine.keyv();
    cache = createCache({ stores: [keyv] });
  });

  it('basic', async () => {
    await cache.set(data.key, data.value);
    await expect(cache.get(data.key)).resolves.toEqual(data.value);
  });

  it('expired', async () => {
    await cache.set(data.key, data.value, ttl);
    await sleep(ttl + 100);
    await expect(cache.get(data.key)).resolves.toBeUndefined();
  });

  it('error', async () => {
    await cache.set(data.key, data.value);
    keyv.get = () => {
      throw new Error('get error');
    };
    await expect(cache.get(data.key)).resolves.toBeUndefined();
  });

  it.skip('error on non-blocking enabled (n/a: nonBlocking with several stores)', () => {});
});
