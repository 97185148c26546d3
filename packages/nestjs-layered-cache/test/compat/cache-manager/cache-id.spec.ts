/**
 * Port of cache-manager 7 test/cache-id.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `new Keyv()` is the Keyv CacheManagerModule builds over a real engine (L1 + Redis,
 * see engine.ts); faker replaced by crypto. Tests with several stores or `nonBlocking` are kept as
 * `it.skip`: CacheManagerModule rejects those options (one engine is the only store).
 */
import type { Keyv } from 'keyv';
import { createCache } from 'cache-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEngine } from './engine.js';

describe('cacheId', () => {
  const engine = useEngine();
  let keyv: Keyv;

  beforeEach(async () => {
    keyv = engine.keyv();
  });

  it('user set', () => {
    const cache = createCache({ stores: [keyv], cacheId: 'my-cache-id' });
    expect(cache.cacheId()).toEqual('my-cache-id');
  });

  it('auto generated', () => {
    const cache = createCache({ stores: [keyv] });
    expect(cache.cacheId()).toBeTypeOf('string');
  });
});
