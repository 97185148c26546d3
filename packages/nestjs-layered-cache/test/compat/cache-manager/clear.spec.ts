/**
 * Port of cache-manager 7 test/clear.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `new Keyv()` is the Keyv CacheManagerModule builds over a real engine (L1 + Redis,
 * see engine.ts); faker replaced by crypto. Tests with several stores or `nonBlocking` are kept as
 * `it.skip`: CacheManagerModule rejects those options (one engine is the only store).
 */
import type { Keyv } from 'keyv';
import { createCache } from 'cache-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { alpha, between, sample, useEngine } from './engine.js';

describe('clear', () => {
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
    const array = [1, 2, 3];
    for (const index of array) {
      await cache.set(data.key + index, data.value + index, ttl);
      await expect(cache.get(data.key + index)).resolves.toEqual(data.value + index);
    }
    await expect(cache.clear()).resolves.toEqual(true);
    for (const index of array) {
      await expect(cache.get(data.key + index)).resolves.toBeUndefined();
    }
  });

  it.skip('clear should be non-blocking (n/a: nonBlocking with several stores)', () => {});

  it('error', async () => {
    await cache.set(data.key, data.value);
    const error = new Error('clear error');
    keyv.clear = () => {
      throw error;
    };
    await expect(cache.clear()).rejects.toThrowError(error);
  });
});
