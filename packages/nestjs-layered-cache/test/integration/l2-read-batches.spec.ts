import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createCacheInstance, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';
import { monitorRedis } from '../helpers/redis-monitor.js';
import { startEmbeddedRedis, startLatencyProxy, type EmbeddedRedis, type LatencyProxy } from '@internal/dev-services';

/**
 * The L2 hit path: reads of one tick share one script call (each key still checked against its
 * own tag versions in that round trip), the read script is re-sent when a server lost it, and the
 * one shared soft-timeout timer still turns a read Redis does not answer into a miss.
 */
describe('L2 reads: batched per tick, one shared soft timeout', () => {
  const url = inject('redisUrl');
  const instances: CacheInstance[] = [];
  const boot = async (options: Parameters<typeof createCacheInstance>[0]) => {
    const instance = await createCacheInstance(options);
    instances.push(instance);
    return instance.cache;
  };
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.close()));
  });

  it('answers concurrent gets with one script call, each key checked against its own tags', async () => {
    const prefix = uniquePrefix('batch');
    const writer = await boot({ prefix, redis: { url } });
    const reader = await boot({ prefix, l1: false, redis: { url } });
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    for (const [i, key] of keys.entries()) await writer.set(key, { i }, { tags: [i % 3 === 0 ? 'gone' : 'kept'] });
    await writer.invalidateTags(['gone']);
    await reader.get('warm-up'); // the server learns the read script (a first EVALSHA may be answered NOSCRIPT)

    const monitor = await monitorRedis(url, prefix);
    const values = await Promise.all(keys.map((key) => reader.get(key)));
    const commands = await monitor.stop();

    expect(values).toEqual(keys.map((_, i) => (i % 3 === 0 ? undefined : { i })));
    expect(commands).toHaveLength(1);
    expect(commands[0]![2]).toBe(String(keys.length));
    expect(reader.stats().l2!.hits).toBe(20);
  });

  describe('on a server of its own', () => {
    let server: EmbeddedRedis;
    beforeAll(async () => void (server = await startEmbeddedRedis()));
    afterAll(() => server?.stop());

    it('reads again after the server lost its scripts (SCRIPT FLUSH, restart, failover)', async () => {
      const prefix = uniquePrefix('noscript');
      const cache = await boot({ prefix, l1: false, redis: { url: server.url } });
      await cache.set('a', 'value-a');
      expect(await cache.get('a')).toBe('value-a');
      const admin = new Redis(server.url);
      try {
        await admin.script('FLUSH');
        expect(await cache.get('a')).toBe('value-a');
        expect(await Promise.all([cache.get('a'), cache.mget(['a', 'b'])])).toEqual([
          'value-a',
          ['value-a', undefined],
        ]);
        expect(cache.stats().errors).toBe(0);
      } finally {
        admin.disconnect();
      }
    });
  });

  describe('through a proxy that can hold replies back', () => {
    let proxy: LatencyProxy;
    beforeAll(async () => void (proxy = await startLatencyProxy(url)));
    afterAll(async () => {
      proxy.release();
      await proxy.close();
    });

    it('turns reads Redis does not answer into misses, before and after reads it answered in time', async () => {
      const prefix = uniquePrefix('stall');
      const writer = await boot({ prefix, redis: { url } });
      const slow = await boot({
        prefix,
        l1: false,
        circuitBreaker: false,
        redis: { url: proxy.url, softTimeout: 50, commandTimeout: 120_000 },
      });
      await writer.set('k', 'cached');
      expect(await slow.get('k')).toBe('cached'); // answered in time: leaves the shared timer's queue

      proxy.hold();
      // Neither can resolve before the hard timeout (two minutes) unless the soft timeout ends it.
      expect(await slow.get('k')).toBeUndefined();
      expect(await Promise.all([slow.get('k'), slow.mget(['k', 'other'])])).toEqual([
        undefined,
        [undefined, undefined],
      ]);
      expect(slow.stats().l2!.softTimeouts).toBe(3);

      proxy.release();
      await vi.waitFor(async () => expect(await slow.get('k')).toBe('cached'));
    });
  });
});
