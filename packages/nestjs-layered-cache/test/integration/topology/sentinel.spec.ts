import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CacheModuleOptions, RedisModuleOptions } from '../../../src/index.js';
import { describeCacheContract } from '../../contract/cache-contract.suite.js';
import { describeStressedCacheContract } from '../../contract/cache-stress.suite.js';
import { describeStressedConsistencyChecker } from '../../consistency/consistency-checker.suite.js';
import { stressSentinel, type StressedRedis } from '../../helpers/stressed-redis.js';
import { createCacheInstance, sleep, uniquePrefix, type CacheInstance } from '../../helpers/cache-instance.js';
import { startRedisSentinel, type LocalRedisSentinel } from '@internal/dev-services';

/** A master, a replica and a sentinel: the cache follows a failover without failing a request. */
describe('on Redis Sentinel', () => {
  let sentinel: LocalRedisSentinel;
  const redis = (): RedisModuleOptions => ({
    sentinel: { name: sentinel.masterName, sentinels: sentinel.sentinels },
    commandTimeout: 500,
  });
  const instances: CacheInstance[] = [];
  const instance = async (options: CacheModuleOptions) => {
    const created = await createCacheInstance(options);
    created.app.useLogger(false);
    instances.push(created);
    return created;
  };

  beforeAll(async () => void (sentinel = await startRedisSentinel()), 60_000);
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.close()));
    await sentinel?.stop();
  });

  describeCacheContract('L1 + L2 on Redis Sentinel', () => ({ prefix: uniquePrefix('sentinel'), redis: redis() }));

  // Before the failover case below: these reach the master through a proxy fixed at start.
  describe('stress: the master behind a proxy jittering its replies', () => {
    let stressed: StressedRedis;
    beforeAll(async () => void (stressed = await stressSentinel(sentinel)));
    afterAll(() => stressed?.close());
    describeStressedCacheContract('Redis Sentinel', () => stressed);
    describeStressedConsistencyChecker('Redis Sentinel', () => stressed);
  });

  it('keeps answering through a failover, then uses the new master', async () => {
    const prefix = uniquePrefix('failover');
    const a = await instance({ prefix, redis: redis() });
    const b = await instance({ prefix, l1: false, redis: redis() });
    const rows = new Map(Array.from({ length: 20 }, (_, i) => [i, `row ${i} v1`]));
    const read = (cache: CacheInstance['cache'], i: number) =>
      cache.getOrSet(`row:${i}`, async () => rows.get(i)!, { tags: [`row:${i}`] });
    for (let i = 0; i < 20; i++) await read(a.cache, i);
    const before = (await sentinel.master()).port;

    let failed = 0;
    let answered = 0;
    let stop = false;
    const readers = [a, b].map(async ({ cache }) => {
      for (let n = 0; !stop; n++) {
        const i = n % 20;
        try {
          expect(await read(cache, i)).toBe(rows.get(i));
          answered++;
        } catch {
          failed++;
        }
        await sleep(2);
      }
    });
    await sentinel.failover();
    await sleep(500);
    stop = true;
    await Promise.all(readers);

    expect((await sentinel.master()).port).not.toBe(before);
    expect(answered).toBeGreaterThan(50);
    expect(failed).toBe(0); // the cache failed open while the master changed

    // Writes and invalidations reach the new master and the other instance.
    rows.set(3, 'row 3 v2');
    await vi.waitFor(
      async () => {
        await a.cache.invalidateTags(['row:3']);
        expect(await read(b.cache, 3)).toBe('row 3 v2');
        expect(await read(a.cache, 3)).toBe('row 3 v2');
      },
      { timeout: 10_000, interval: 200 },
    );
    await vi.waitFor(() => expect(b.cache.stats().l2).toMatchObject({ failing: false, circuit: 'closed' }), {
      timeout: 10_000,
    });
  });
});
