/**
 * Port of cache-manager 7 test/set.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `new Keyv()` is the Keyv CacheManagerModule builds over a real engine (L1 + Redis,
 * see engine.ts); faker replaced by crypto. Tests with several stores or `nonBlocking` are kept as
 * `it.skip`: CacheManagerModule rejects those options (one engine is the only store).
 */
import type { Keyv } from 'keyv';
import { createCache } from 'cache-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { alpha, between, sample, useEngine } from './engine.js';

describe('set', () => {
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
    await expect(cache.set(data.key, data.value)).resolves.toEqual(data.value);
    await expect(cache.set(data.key, data.value, ttl)).resolves.toEqual(data.value);
    await expect(cache.get(data.key)).resolves.toEqual(data.value);
  });

  it('error', async () => {
    const error = new Error('set error');
    keyv.set = () => {
      throw error;
    };
    await expect(cache.set(data.key, data.value)).rejects.toThrowError(error);
    await expect(cache.get(data.key)).resolves.toBeUndefined();
  });

  it.skip('set should be non-blocking (n/a: nonBlocking with several stores)', () => {});
});
