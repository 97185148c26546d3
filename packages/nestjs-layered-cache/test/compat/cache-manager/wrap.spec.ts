/**
 * Port of cache-manager 7 test/wrap.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `new Keyv()` is the Keyv CacheManagerModule builds over a real engine (L1 + Redis,
 * see engine.ts); faker replaced by crypto. The "wrap with multi-layer stores" block is `skip`:
 * CacheManagerModule rejects several stores (the engine's L1 and L2 are the layers).
 * Where a background refresh (`refreshThreshold`) must have landed before the next assertion, the
 * port waits for cache-manager's own `refresh` event (`refreshed()`): against in-memory Keyv the
 * peer relies on the write finishing within the same tick, a Redis write takes a round trip.
 * Sleeps that move an entry into its refresh window or past its ttl are the peer's own.
 */
import type { Keyv } from 'keyv';
import { createCache } from 'cache-manager';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { alpha, between, sample, sleep, useEngine } from './engine.js';

describe('wrap', () => {
  const engine = useEngine();
  let keyv: Keyv;
  let cache: ReturnType<typeof createCache>;
  let ttl = 500;
  const data = { key: '', value: '' };
  /** Resolves on the next `refresh` event (a background refresh stored, or failed). */
  const refreshed = () => new Promise<void>((resolve) => cache.on('refresh', () => resolve()));

  beforeEach(async () => {
    data.key = alpha();
    data.value = sample();
    ttl = between(500, 1000);
    keyv = engine.keyv();
    cache = createCache({ stores: [keyv] });
  });

  it('basic', async () => {
    const getValue = vi.fn(() => data.value);
    await cache.wrap(data.key, getValue);
    await cache.wrap(data.key, getValue);
    expect(getValue).toBeCalledTimes(1);
  });

  it('ttl - milliseconds', async () => {
    await cache.wrap(data.key, async () => data.value, ttl);
    await expect(cache.get(data.key)).resolves.toEqual(data.value);
    await sleep(ttl + 100);
    await expect(cache.get(data.key)).resolves.toBeUndefined();
  });

  it('ttl - function', async () => {
    const getTtlFunction = vi.fn(() => ttl);
    await cache.wrap(data.key, async () => data.value, getTtlFunction);
    await expect(cache.get(data.key)).resolves.toEqual(data.value);
    await sleep(ttl + 100);
    await expect(cache.get(data.key)).resolves.toBeUndefined();
    expect(getTtlFunction).toHaveBeenCalledTimes(1);
  });

  it('ttl - options', async () => {
    await cache.wrap(data.key, async () => data.value, { ttl });
    await expect(cache.get(data.key)).resolves.toEqual(data.value);
    await sleep(ttl + 100);
    await expect(cache.get(data.key)).resolves.toBeUndefined();
  });

  it('returns single value or raw storage-data', async () => {
    await expect(cache.wrap(data.key, () => data.value, ttl)).resolves.toEqual(data.value);
    await expect(cache.wrap(data.key, () => data.value, { ttl, raw: true })).resolves.toEqual({
      value: data.value,
      expires: expect.any(Number),
    });
    await expect(cache.wrap(`${data.key}i`, () => data.value, { ttl, raw: true })).resolves.toEqual({
      value: data.value,
      expires: expect.any(Number),
    });
    await expect(cache.wrap(`${data.key}i`, () => data.value, ttl)).resolves.toEqual(data.value);
  });

  it('calls fn once to fetch value on cache miss when invoked multiple times', async () => {
    const getValue = vi.fn().mockResolvedValue(data.value);
    await expect(cache.get(data.key)).resolves.toBeUndefined();
    const array = Array.from({ length: 10 }).fill(null);
    const results = await Promise.allSettled(array.map(async () => cache.wrap(data.key, getValue, ttl)));
    expect(getValue).toHaveBeenCalledTimes(1);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'fulfilled', value: data.value });
    }
  });

  it.each([
    [500, 250],
    [{ ttl: 500, refreshThreshold: 250 }, undefined],
  ])(
    'should allow dynamic refreshThreshold on wrap function with ttl/options param as %s',
    async (ttlOrOptions, refreshThreshold) => {
      expect(await cache.wrap(data.key, async () => 0, ttlOrOptions as never, refreshThreshold)).toEqual(0);
      await sleep(260);
      let landed = refreshed();
      expect(await cache.wrap(data.key, async () => 1, ttlOrOptions as never, refreshThreshold)).toEqual(0);
      await landed;
      expect(await cache.wrap(data.key, async () => 2, ttlOrOptions as never, refreshThreshold)).toEqual(1);

      await sleep(260);
      expect(await cache.wrap(data.key, async () => 3, undefined, 125)).toEqual(1);
      await sleep(140);
      landed = refreshed();
      expect(await cache.wrap(data.key, async () => 4, undefined, 125)).toEqual(1);
      await landed;
      expect(await cache.wrap(data.key, async () => 5, undefined, 125)).toEqual(4);
    },
  );

  it('should allow refreshThreshold function on wrap function', async () => {
    const config = { ttl: (v: number) => v * 1000, refreshThreshold: (v: number) => v * 500 };
    expect(await cache.wrap(data.key, async () => 1, config.ttl, config.refreshThreshold)).toEqual(1);
    await sleep(510);
    let landed = refreshed();
    expect(await cache.wrap(data.key, async () => 2, config.ttl, config.refreshThreshold)).toEqual(1);
    await landed;
    expect(await cache.wrap(data.key, async () => 2, config.ttl, config.refreshThreshold)).toEqual(2);
    await sleep(1010);
    expect(await cache.wrap(data.key, async () => 3, undefined, 500)).toEqual(2);
    await sleep(510);
    landed = refreshed();
    expect(await cache.wrap(data.key, async () => 4, undefined, 500)).toEqual(2);
    await landed;
    expect(await cache.wrap(data.key, async () => 5, undefined, 500)).toEqual(4);
  });

  it('should support nested calls of other caches - no mutual state', async () => {
    const getValueA = vi.fn(() => 'A');
    const getValueB = vi.fn(() => 'B');
    const anotherCache = createCache({ stores: [engine.keyv()] });
    expect(
      await cache.wrap(data.key, async () => anotherCache.wrap(data.key, getValueB).then((v) => v + getValueA())),
    ).toEqual('BA');
    expect(getValueA).toHaveBeenCalledOnce();
    expect(getValueB).toHaveBeenCalledOnce();
  });

  it('should re-evaluate ttl function on fresh value when triggered by refreshThreshold', async () => {
    const config = { ttl: 1000, refreshThreshold: 500 };
    const getTtlFunction = vi.fn(() => config.ttl);
    let value = 10;
    expect(await cache.wrap(data.key, async () => ++value, getTtlFunction, config.refreshThreshold)).toEqual(11);
    expect(getTtlFunction).toHaveBeenNthCalledWith(1, 11);
    await sleep(750);
    const landed = refreshed();
    expect(await cache.wrap(data.key, async () => ++value, getTtlFunction, config.refreshThreshold)).toEqual(11);
    await landed;
    expect(getTtlFunction).toHaveBeenNthCalledWith(2, 12);
  });

  it('store get failed', async () => {
    const getValue = vi.fn(() => data.value);
    keyv.get = () => {
      throw new Error('get failed');
    };
    const refreshThreshold = ttl / 2;
    await expect(cache.wrap(data.key, getValue, ttl, refreshThreshold)).resolves.toEqual(data.value);
    await expect(cache.wrap(data.key, getValue, ttl, refreshThreshold)).resolves.toEqual(data.value);
    expect(getValue).toBeCalledTimes(2);
  });
});

describe.skip('wrap with multi-layer stores (n/a: several stores; the engine is L1 + L2 itself)', () => {
  it('should refresh according to refreshThreshold', () => {});
  it('should respect refreshAllStores', () => {});
});
