import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCacheInstance, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';

describe('values over maxValueBytes', () => {
  let instance: CacheInstance;
  beforeAll(async () => {
    instance = await createCacheInstance({
      prefix: uniquePrefix('big'),
      redis: { url: inject('redisUrl') },
      maxValueBytes: 2000,
    });
  });
  afterAll(() => instance?.close());

  it('are returned and accepted but never cached, and the key loses its previous value', async () => {
    const { cache } = instance;
    const big = randomBytes(4000); // incompressible: the limit is on the stored size
    await cache.set('k', 'small');
    await cache.set('k', big);
    expect(await cache.get('k')).toBeUndefined();
    let loads = 0;
    const load = async () => {
      loads++;
      return big;
    };
    expect(await cache.getOrSet('g', load)).toEqual(big);
    expect(await cache.getOrSet('g', load)).toEqual(big);
    expect(loads).toBe(2);
    await cache.mset([
      { key: 'm1', value: 'fits' },
      { key: 'm2', value: big },
    ]);
    expect(await cache.mget(['m1', 'm2'])).toEqual(['fits', undefined]);
    expect(cache.stats().oversized).toBe(4);
  });
});
