import { NotFoundException } from '@nestjs/common';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { CacheModuleOptions } from '../../src/index.js';
import { createCacheInstance, deferred, sleep, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';

const down = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));

/** Fail-safe (stale-if-error): an expired entry answers for a loader that fails, with backoff. */
describe('fail-safe', () => {
  const instances: CacheInstance[] = [];
  let raw: Redis;
  beforeAll(() => void (raw = new Redis(inject('redisUrl'))));
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.close()));
    raw.disconnect();
  });

  async function boot(options: Partial<CacheModuleOptions> = {}, prefix = uniquePrefix('failsafe')) {
    const instance = await createCacheInstance({
      prefix,
      redis: { url: inject('redisUrl') },
      failSafe: { maxStale: 60_000, retryAfter: 300 },
      ...options,
    });
    instances.push(instance);
    return instance;
  }

  it('serves the expired value when the loader fails, and retries only after the backoff', async () => {
    const { cache } = await boot({ failSafe: { maxStale: 60_000, retryAfter: 500 } });
    await cache.getOrSet('k', () => 'v1', { ttl: 50 });
    await sleep(80);

    const failing = vi.fn(down);
    expect(await cache.getOrSet('k', failing)).toBe('v1');
    expect(await cache.getOrSet('k', failing)).toBe('v1');
    expect(failing).toHaveBeenCalledTimes(1); // the second call fell within the backoff
    expect(cache.stats().failSafe).toBe(2);

    await sleep(550);
    expect(await cache.getOrSet('k', failing)).toBe('v1'); // retried, failed again: backoff doubles
    expect(failing).toHaveBeenCalledTimes(2);
    await sleep(600);
    expect(await cache.getOrSet('k', () => 'v2')).toBe('v1'); // still backing off (1000 ms now)
    await sleep(500);
    expect(await cache.getOrSet('k', () => 'v2')).toBe('v2');
    expect(await cache.get('k')).toBe('v2');
  });

  it('gives every caller waiting on the failed load the kept value, from one loader call', async () => {
    const { cache } = await boot();
    await cache.getOrSet('shared', () => 'kept', { ttl: 50 });
    await sleep(80);
    const gate = deferred();
    const failing = vi.fn(async () => {
      await gate.promise;
      throw new Error('database is down');
    });
    const callers = Array.from({ length: 5 }, () => cache.getOrSet('shared', failing));
    gate.resolve();
    expect(await Promise.all(callers)).toEqual(['kept', 'kept', 'kept', 'kept', 'kept']);
    expect(failing).toHaveBeenCalledTimes(1);
  });

  it('keeps entries in Redis for the fail-safe window, so another instance can stand in too', async () => {
    const prefix = uniquePrefix('failsafe-shared');
    const a = await boot({}, prefix);
    const b = await boot({ l1: false }, prefix);
    await a.cache.set('row', { id: 1 }, { ttl: 50, grace: 50 });
    const [key] = await raw.keys(`${prefix}:*row`);
    expect(await raw.pttl(key!)).toBeGreaterThan(60_000); // ttl + grace + maxStale
    await sleep(150);
    expect(await b.cache.get('row')).toBeUndefined(); // expired: a plain read never sees it
    expect(await b.cache.getOrSet('row', down)).toEqual({ id: 1 });
  });

  it('never stands in for an invalidated entry, nor hides a 4xx or any error when off', async () => {
    const { cache } = await boot();
    await cache.set('tagged', 'old', { ttl: 50, tags: ['row:1'] });
    await sleep(80);
    await cache.invalidateTags(['row:1']);
    await expect(cache.getOrSet('tagged', down)).rejects.toThrow('ECONNREFUSED');

    await cache.set('gone', 'old', { ttl: 50 });
    await sleep(80);
    await expect(
      cache.getOrSet('gone', () => Promise.reject(new NotFoundException('no such row'))),
    ).rejects.toBeInstanceOf(NotFoundException);

    const off = await boot({ failSafe: false });
    await off.cache.set('k', 'old', { ttl: 50 });
    await sleep(80);
    await expect(off.cache.getOrSet('k', down)).rejects.toThrow('ECONNREFUSED');
  });

  it('takes a per-call window and a custom `when`', async () => {
    const { cache } = await boot({ failSafe: { when: (error) => (error as Error).message.includes('ECONN') } });
    await cache.set('short', 'old', { ttl: 50, failSafe: 0 });
    await cache.set('long', 'old', { ttl: 50 });
    await sleep(80);
    await expect(cache.getOrSet('short', down)).rejects.toThrow('ECONNREFUSED');
    await expect(cache.getOrSet('long', () => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
    expect(await cache.getOrSet('long', down)).toBe('old');
  });
});
