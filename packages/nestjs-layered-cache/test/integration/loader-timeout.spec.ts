import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CacheLoaderTimeoutError } from '../../src/index.js';
import { createCacheInstance, deferred, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';

describe('loader timeout', () => {
  let instance: CacheInstance;
  beforeAll(async () => {
    instance = await createCacheInstance({
      prefix: uniquePrefix('timeout'),
      redis: { url: inject('redisUrl') },
      loaderTimeout: 150,
    });
  });
  afterAll(() => instance?.close());

  it('cuts off a hung loader: every waiting caller gets the same error, the signal aborts, nothing is stored', async () => {
    const { cache } = instance;
    const hung = deferred<string>();
    let signal: AbortSignal | undefined;
    let calls = 0;
    const loader = (s: AbortSignal) => {
      calls++;
      signal = s;
      return hung.promise;
    };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => cache.getOrSet('hung', loader)));
    expect(calls).toBe(1);
    const errors = results.map((r) => (r.status === 'rejected' ? r.reason : r.value));
    expect(errors.every((e) => e instanceof CacheLoaderTimeoutError)).toBe(true);
    expect(new Set(errors).size).toBe(1);
    expect((errors[0] as CacheLoaderTimeoutError).code).toBe('E_LOADER_TIMEOUT');
    expect(signal?.aborted).toBe(true);
    // The late answer is dropped; the lock was released, so the next caller loads at once.
    hung.resolve('too late');
    expect(await cache.getOrSet('hung', () => 'fresh')).toBe('fresh');
    expect(await cache.get('hung')).toBe('fresh');
  });

  it('takes a per-call timeout, and 0 means never', async () => {
    const { cache } = instance;
    await expect(
      cache.getOrSet('slow', () => new Promise((r) => setTimeout(() => r('x'), 300)), { timeout: 50 }),
    ).rejects.toThrow(/ran longer than 50 ms/);
    expect(
      await cache.getOrSet('slow2', () => new Promise((r) => setTimeout(() => r('ok'), 250)), { timeout: 0 }),
    ).toBe('ok');
  });
});
