/**
 * Port of cache-manager 7 test/stores.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `new Keyv()` is the Keyv CacheManagerModule builds over a real engine (L1 + Redis,
 * see engine.ts); faker replaced by crypto. Tests with several stores or `nonBlocking` are kept as
 * `it.skip`: CacheManagerModule rejects those options (one engine is the only store). `createCache()` without stores
 * would be cache-manager's own in-memory Keyv: the store here is the engine's.
 */
import { randomUUID } from 'node:crypto';
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { useEngine } from './engine.js';

describe('stores', () => {
  const engine = useEngine();

  it('can get the keyv store', () => {
    const cache = createCache({ stores: [engine.keyv()] });
    expect(cache.stores.length).toEqual(1);
  });

  it.skip('can see multiple stores (n/a: several stores)', () => {});

  it('can get the keyv store and do iterator', async () => {
    const cache = createCache({ stores: [engine.keyv()] });
    expect(cache.stores.length).toEqual(1);
    const keyName = randomUUID();
    const keyValue = randomUUID();
    await cache.set(keyName, keyValue);
    const keyv = cache.stores[0];
    expect(keyv).toBeInstanceOf(Keyv);
    let returnValue;
    if (keyv?.iterator) {
      for await (const [key, value] of keyv.iterator({})) {
        if (key === keyName) {
          returnValue = value;
        }
      }
    }
    expect(returnValue).toEqual(keyValue);
  });
});
