/**
 * Port of cache-manager 7 test/ttl.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `new Keyv()` is the Keyv CacheManagerModule builds over a real engine (L1 + Redis,
 * see engine.ts); faker replaced by crypto. Tests with several stores or `nonBlocking` are kept as
 * `it.skip`: CacheManagerModule rejects those options (one engine is the only store). cache-manager's ttl() returns the
 * absolute expiry (epoch ms, Keyv's `expires`), not a duration: the engine's end of freshness.
 */
import type { Keyv } from 'keyv';
import { createCache } from 'cache-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { alpha, between, sample, sleep, useEngine } from './engine.js';

describe('ttl', () => {
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

  // n/a: without a ttl an entry gets CacheModule's default `ttl`; the engine keeps nothing forever.
  it.skip('basic (set without ttl has no expiry)', () => {});

  it('expired', async () => {
    await cache.set(data.key, data.value, ttl);
    await sleep(ttl + 100);
    await expect(cache.ttl(data.key)).resolves.toBeUndefined();
  });

  it('error', async () => {
    await cache.set(data.key, data.value);
    keyv.get = () => {
      throw new Error('get error');
    };
    await expect(cache.ttl(data.key)).resolves.toBeUndefined();
  });

  it.skip('error on non-blocking enabled (n/a: nonBlocking)', () => {});

  it('gets the expiration of a key', async () => {
    await cache.set(data.key, data.value, ttl);
    const expiration = Date.now() + ttl;
    await expect(cache.ttl(data.key)).resolves.toBeGreaterThanOrEqual(expiration - 100);
  });

  it.skip('gets the expiration of a key with nonBlocking (n/a: nonBlocking)', () => {});
  it.skip('gets null of a key with nonBlocking (n/a: nonBlocking)', () => {});
});
