/**
 * Port of cache-manager 7 test/mget.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `new Keyv()` is the Keyv CacheManagerModule builds over a real engine (L1 + Redis,
 * see engine.ts); faker replaced by crypto. Tests with several stores or `nonBlocking` are kept as
 * `it.skip`: CacheManagerModule rejects those options (one engine is the only store).
 */
import type { Keyv } from 'keyv';
import { createCache } from 'cache-manager';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { alpha, between, sample, useEngine } from './engine.js';

describe('mget', () => {
  const engine = useEngine();
  let keyv: Keyv;
  let cache: ReturnType<typeof createCache>;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- kept as in the peer test
  let ttl = 500;
  let list = [] as Array<{ key: string; value: string }>;

  beforeEach(async () => {
    ttl = between(500, 1000);
    keyv = engine.keyv();
    list = [
      { key: alpha(), value: sample() },
      { key: alpha(), value: sample() },
      { key: alpha(), value: sample() },
    ];
  });

  describe('blocking', () => {
    beforeEach(() => {
      cache = createCache({ stores: [keyv], nonBlocking: false });
    });

    it('basic', async () => {
      await cache.mset(list);
      const keys = list.map((item) => item.key);
      const values = list.map((item) => item.value);
      await expect(cache.mget(keys)).resolves.toEqual(values);
    });

    it('error', async () => {
      keyv.getMany = () => {
        throw new Error('getMany error');
      };
      const mgetEventMock = vi.fn();
      cache.on('mget', mgetEventMock);
      const keys = list.map((item) => item.key);
      await expect(cache.mget(keys)).resolves.toEqual(list.map(() => undefined));
      expect(mgetEventMock).toHaveBeenCalledWith({ keys, error: expect.any(Error) });
    });

    it('calls getMany instead of get', async () => {
      const mgetSpy = vi.spyOn(keyv, 'getMany');
      const getSpy = vi.spyOn(keyv, 'get');
      await expect(cache.mget(['key'])).resolves.toEqual([undefined]);
      expect(mgetSpy).toHaveBeenCalled();
      expect(getSpy).not.toHaveBeenCalled();
    });

    it.skip('calls each store sequentially until it has found every value (n/a: several stores)', () => {});
  });

  describe.skip('non-blocking (n/a: nonBlocking)', () => {
    it('basic', () => {});
  });
});
