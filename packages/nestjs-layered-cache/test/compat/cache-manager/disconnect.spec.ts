/**
 * Port of cache-manager 7 test/disconnect.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `new Keyv()` is the Keyv CacheManagerModule builds over a real engine (L1 + Redis,
 * see engine.ts); faker replaced by crypto. Tests with several stores or `nonBlocking` are kept as
 * `it.skip`: CacheManagerModule rejects those options (one engine is the only store).
 */
import { createCache } from 'cache-manager';
import { describe, expect, test } from 'vitest';
import { useEngine } from './engine.js';

describe('disconnect', () => {
  const engine = useEngine();

  test.skip('disconnect from multiple stores (n/a: several stores)', () => {});

  test('error', async () => {
    const keyv = engine.keyv();
    const cache = createCache({ stores: [keyv] });
    const error = new Error('disconnect error');
    keyv.disconnect = () => {
      throw error;
    };
    await expect(cache.disconnect()).rejects.toThrowError(error);
  });
});
