import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { CacheService } from '../../src/index.js';
import { createCacheInstance, sleep, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';

describe('stampede protection across instances', () => {
  const url = inject('redisUrl');
  let redis: Redis;
  const instances: CacheInstance[] = [];
  const boot = async (prefix: string, lock?: { ttl?: number; maxWait?: number }) => {
    const instance = await createCacheInstance({ prefix, redis: { url }, ...(lock ? { lock } : {}) });
    instances.push(instance);
    return instance.cache;
  };

  beforeAll(() => void (redis = new Redis(url)));
  afterAll(() => redis.quit());
  afterEach(async () => void (await Promise.all(instances.splice(0).map((i) => i.close()))));

  it('1000 concurrent cold getOrSet calls split across two instances run the loader once', async () => {
    const prefix = uniquePrefix('stampede');
    const caches: CacheService[] = [await boot(prefix), await boot(prefix)];
    const loader = vi.fn(async () => {
      await sleep(50);
      return { computed: true };
    });
    const calls = Array.from({ length: 1000 }, (_, i) => caches[i % 2]!.getOrSet('cold', loader, { tags: ['cold'] }));
    const results = await Promise.all(calls);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(results.every((r) => r.computed)).toBe(true);
    expect(caches.map((c) => c.stats().fillsRefused)).toEqual([0, 0]);
  });

  it('loads after the lock expires when its holder crashed, and releases its own lock', async () => {
    const prefix = uniquePrefix('crash');
    const cache = await boot(prefix, { ttl: 1_000, maxWait: 10_000 });
    const lockKey = `${prefix}:~l:default:orphan`;
    await redis.set(lockKey, 'token-of-a-crashed-instance', 'PX', 300);
    const loader = vi.fn(async () => {
      // By the time we load, the orphaned lock has expired and we hold our own.
      const holder = await redis.get(lockKey);
      expect(holder).not.toBeNull();
      expect(holder).not.toBe('token-of-a-crashed-instance');
      return 'loaded';
    });
    expect(await cache.getOrSet('orphan', loader)).toBe('loaded');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toMatchObject({ misses: 1 });
    await vi.waitFor(async () => expect(await redis.exists(lockKey)).toBe(0));
  });

  it('gives up waiting after maxWait and loads itself (efficiency lost, never correctness)', async () => {
    const prefix = uniquePrefix('wait');
    const cache = await boot(prefix, { ttl: 60_000, maxWait: 100 });
    await redis.set(`${prefix}:~l:default:stuck`, 'someone-slow', 'PX', 60_000);
    expect(await cache.getOrSet('stuck', () => 'mine')).toBe('mine');
    expect(await cache.get('stuck')).toBe('mine');
  });

  it('a waiter returns the entry the lock holder stored', async () => {
    const prefix = uniquePrefix('waiter');
    const [a, b] = [await boot(prefix), await boot(prefix)];
    let release!: () => void;
    const slow = a.getOrSet('shared', () => new Promise<string>((r) => (release = () => r('from-a'))));
    await vi.waitFor(async () => expect(await redis.exists(`${prefix}:~l:default:shared`)).toBe(1));
    const loaderB = vi.fn(() => 'from-b');
    const waiting = b.getOrSet('shared', loaderB);
    await sleep(30);
    release();
    expect(await slow).toBe('from-a');
    expect(await waiting).toBe('from-a');
    expect(loaderB).not.toHaveBeenCalled();
  });
});
