import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createCacheInstance, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';
import { startLatencyProxy, type LatencyProxy } from '@internal/dev-services';

/**
 * Redis answering late, through a real TCP proxy that holds its replies back: reads must not wait
 * for it beyond the soft timeout (they become misses and the loader answers), and commands that
 * never answer fail open at the hard timeout.
 */
describe('slow Redis: soft and hard timeouts', () => {
  const prefix = uniquePrefix('slow');
  let proxy: LatencyProxy;
  let direct: CacheInstance;
  let slow: CacheInstance;
  let hung: CacheInstance;
  let raw: Redis;

  beforeAll(async () => {
    const url = inject('redisUrl');
    proxy = await startLatencyProxy(url);
    raw = new Redis(url);
    direct = await createCacheInstance({ prefix, l1: false, redis: { url } });
    // A hard timeout far beyond the test's own: only the soft timeout can let its reads finish.
    slow = await through(proxy, { softTimeout: 50, commandTimeout: 120_000 });
    hung = await through(proxy, { softTimeout: 50, commandTimeout: 800 });
  });
  afterAll(async () => {
    proxy.release();
    await slow?.close();
    await hung?.close();
    await direct?.close();
    raw?.disconnect();
    await proxy?.close();
  });

  async function through(proxy: LatencyProxy, timeouts: { softTimeout: number; commandTimeout: number }) {
    const instance = await createCacheInstance({
      prefix,
      l1: false,
      circuitBreaker: false,
      redis: { url: proxy.url, ...timeouts },
    });
    instance.app.useLogger(false);
    return instance;
  }

  it('serves reads without waiting for replies that do not come, then uses Redis again', async () => {
    for (let i = 0; i < 10; i++) await direct.cache.set(`k${i}`, `cached-${i}`);
    expect(await slow.cache.get('k0')).toBe('cached-0');

    proxy.hold(); // from here on no reply reaches the slow instance until release()
    const loader = vi.fn((signal: AbortSignal) => `loaded-${String(signal.aborted)}`);
    const values = await Promise.all(Array.from({ length: 10 }, (_, i) => slow.cache.getOrSet(`k${i}`, loader)));
    // Every call resolved while Redis's replies were still held back: none of them waited for it.
    expect(values).toEqual(Array.from({ length: 10 }, () => 'loaded-false'));
    expect(loader).toHaveBeenCalledTimes(10);
    expect(await slow.cache.get('k1')).toBeUndefined();
    expect(slow.cache.stats().l2!.softTimeouts).toBeGreaterThanOrEqual(11);
    // Once a read found Redis slow, fills skip the lock and the L2 write instead of waiting again.
    expect(slow.cache.stats().l2!.slowSkips).toBeGreaterThanOrEqual(10);

    proxy.release();
    // The loads could not reach Redis in time, so what Redis holds is unchanged and read again.
    await vi.waitFor(async () => expect(await slow.cache.get('k3')).toBe('cached-3'));
    // No lock was left behind to block other instances.
    await vi.waitFor(async () => expect(await raw.keys(`${prefix}:~l:*`)).toEqual([]));
  });

  it('stops trusting L1 when its bus heartbeat does not come back, and trusts it again once it does', async () => {
    const watched = await createCacheInstance({ prefix, redis: { url: proxy.url }, bus: { heartbeat: 100 } });
    watched.app.useLogger(false);
    try {
      expect(watched.cache.stats().bus).toMatchObject({ trusted: true, disconnects: 0 });
      proxy.hold(); // the connection stays open but delivers nothing: no 'close' event will come
      await vi.waitFor(() => expect(watched.cache.stats().bus).toMatchObject({ trusted: false, disconnects: 1 }), {
        timeout: 3000,
      });
      proxy.release();
      await vi.waitFor(() => expect(watched.cache.stats().bus!.trusted).toBe(true), { timeout: 5000 });
    } finally {
      proxy.release();
      await watched.close();
    }
  });

  it('fails writes open at the hard timeout and replays the invalidation once Redis answers', async () => {
    await direct.cache.set('tagged', 'v1', { tags: ['doomed'] });
    const errors = hung.cache.stats().errors;

    proxy.hold();
    await expect(hung.cache.invalidateTags(['doomed'])).resolves.toBeUndefined();
    expect(hung.cache.stats().errors).toBe(errors + 1); // the command timed out: counted, not thrown
    proxy.release();

    // The next operation replays the bump first, so no instance reads the doomed entry again.
    await vi.waitFor(async () => {
      await hung.cache.get('anything');
      expect(await direct.cache.get('tagged')).toBeUndefined();
    });
  });
});
