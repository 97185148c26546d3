import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { CacheModuleOptions } from '../../src/index.js';
import { createCacheInstance, deferred, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';
import { startLatencyProxy, type LatencyProxy } from '@internal/dev-services';

/**
 * Fills and single-flight while Redis holds its replies back (a real TCP proxy), so that the soft
 * timeout fires, Redis is marked slow and fills skip the lock and the L2 write, at chosen points.
 * Slowness may cost loader calls and stores; it must never cost a consistency promise, nor let two
 * loads of one key run at once in one process.
 */
describe('fills on a Redis that answers late', () => {
  let proxy: LatencyProxy;
  let instance: CacheInstance | undefined;
  beforeAll(async () => void (proxy = await startLatencyProxy(inject('redisUrl'))));
  afterEach(async () => {
    proxy.release();
    await instance?.close();
  });
  afterAll(() => proxy?.close());

  const variants: [string, Partial<CacheModuleOptions>][] = [
    ['L1 + L2', {}],
    ['L2 only', { l1: false }],
  ];
  const boot = async (extra: Partial<CacheModuleOptions>) => {
    instance = await createCacheInstance({
      prefix: uniquePrefix('slowfill'),
      circuitBreaker: false,
      redis: { url: proxy.url, softTimeout: 100 },
      ...extra,
    });
    instance.app.useLogger(false);
    return instance.cache;
  };

  it('replays an invalidation that did not reach Redis without waiting for another operation', async () => {
    const prefix = uniquePrefix('replay');
    const direct = await createCacheInstance({ prefix, l1: false, redis: { url: inject('redisUrl') } });
    try {
      const cache = await boot({
        prefix,
        circuitBreaker: { threshold: 1, window: 10_000, cooldown: 300 },
        redis: { url: proxy.url, softTimeout: 50, commandTimeout: 150 },
      });
      await cache.set('k', 'old', { tags: ['t'] });
      expect(await direct.cache.get('k')).toBe('old');
      proxy.hold(); // one command runs out its hard timeout: the circuit opens
      expect(await cache.get('other')).toBeUndefined();
      await vi.waitFor(() => expect(cache.stats().l2!.circuit).toBe('open'));
      proxy.release();
      await cache.invalidateTags(['t']); // skipped while the circuit is open: not done, kept pending
      expect(cache.stats().l2!.skipped).toBeGreaterThan(0);
      // This instance does nothing more; the other must still stop seeing the old value.
      await vi.waitFor(async () => expect(await direct.cache.get('k')).toBeUndefined(), { timeout: 5000 });
    } finally {
      await direct.close();
    }
  });

  for (const [name, extra] of variants) {
    describe(name, () => {
      it('runs the loader once for concurrent misses whose L2 reads all time out', async () => {
        const cache = await boot(extra);
        const loader = vi.fn(async () => 'v');
        proxy.hold(); // every read is given up on after the soft timeout, each in its own timer callback
        const calls = Array.from({ length: 25 }, () => cache.getOrSet('hot', loader));
        expect(await Promise.all(calls)).toEqual(Array(25).fill('v'));
        // Once Redis is marked slow a load needs no round trip at all: it used to be over before the
        // next caller's read timed out, which then found no flight to join and loaded again.
        expect(loader).toHaveBeenCalledTimes(1);
      });

      it('does not store nor hand out a fill cut off from Redis whose tag was invalidated while it ran', async () => {
        const cache = await boot(extra);
        proxy.hold(); // the read times out: Redis is marked slow, the fill skips the lock and L2
        const gate = deferred();
        const loader = vi.fn(async () => {
          await gate.promise;
          return 'old';
        });
        const slow = cache.getOrSet('race', loader, { tags: ['row'] });
        await vi.waitFor(() => expect(loader).toHaveBeenCalled());
        const invalidating = cache.invalidateTags(['row']); // its reply is held as well
        const late = cache.getOrSet('race', async () => 'new', { tags: ['row'] });
        gate.resolve();
        expect(await slow).toBe('old');
        expect(await late).toBe('new');
        proxy.release();
        await invalidating;
        expect(await cache.getOrSet('race', async () => 'newest', { tags: ['row'] })).not.toBe('old');
        expect(cache.stats().l2!.softTimeouts).toBeGreaterThan(0);
      });

      it('does not store a fill whose commit outlasted the soft timeout after its tag was invalidated', async () => {
        const cache = await boot(extra);
        const gate = deferred();
        const loader = vi.fn(async () => {
          await gate.promise;
          return 'old';
        });
        const slow = cache.getOrSet('commit', loader, { tags: ['row2'] });
        await vi.waitFor(() => expect(loader).toHaveBeenCalled()); // its versions were read in time
        await cache.invalidateTags(['row2']);
        proxy.hold(); // the commit is cut by the soft timeout: the local fence decides
        gate.resolve();
        expect(await slow).toBe('old');
        proxy.release();
        expect(await cache.get('commit')).toBeUndefined();
        expect(await cache.getOrSet('commit', async () => 'new', { tags: ['row2'] })).toBe('new');
      });
    });
  }
});
