import type { INestApplication } from '@nestjs/common';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRedisClient, type CacheModuleOptions, type RedisModuleOptions } from '../../../src/index.js';
import { RedisSessionStore } from '../../../src/session/index.js';
import { CacheWarmingService } from '../../../src/warming/index.js';
import { describeCacheContract } from '../../contract/cache-contract.suite.js';
import { describeStressedCacheContract } from '../../contract/cache-stress.suite.js';
import { describeStressedConsistencyChecker } from '../../consistency/consistency-checker.suite.js';
import { stressCluster, type StressedRedis } from '../../helpers/stressed-redis.js';
import { createCacheInstance, sleep, uniquePrefix, type CacheInstance } from '../../helpers/cache-instance.js';
import { startRedisCluster, type LocalRedisCluster } from '@internal/dev-services';
import { bootWarmingApp, Counters } from '../warming/warming.app.js';
import { bootWriteBehindApp, rowsOf, seedRows, type WbApp } from '../write-behind/write-behind.app.js';

/**
 * Everything that talks to Redis, on a real 3-master Redis Cluster: keys of one prefix share a hash
 * slot (`{prefix}:…`), so no script or pipeline ever crosses slots (a CROSSSLOT or "non local key"
 * error would surface as a counted error or a failed call here).
 */
describe('on Redis Cluster (3 masters)', () => {
  let cluster: LocalRedisCluster;
  const redis = (): RedisModuleOptions => ({ cluster: { nodes: cluster.nodes } });
  const onCluster = (extra: Partial<CacheModuleOptions> = {}) => ({
    prefix: uniquePrefix('cluster'),
    redis: redis(),
    ...extra,
  });
  const closers: (() => Promise<unknown>)[] = [];
  const instance = async (options: CacheModuleOptions) => {
    const created = await createCacheInstance(options);
    closers.push(() => created.close());
    // A new cluster client opens its node connections on first use (~100 ms): not under test here.
    await created.cache.get('warm-up');
    return created;
  };

  beforeAll(async () => void (cluster = await startRedisCluster({ masters: 3 })), 60_000);
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await cluster?.stop();
  });

  describeCacheContract('L1 + L2 on Redis Cluster', () => onCluster());
  describeCacheContract('L2 only on Redis Cluster', () => onCluster({ l1: false }));

  describe('stress: every master behind a proxy jittering its replies', () => {
    let stressed: StressedRedis;
    beforeAll(async () => void (stressed = await stressCluster(cluster)));
    afterAll(() => stressed?.close());
    describeStressedCacheContract('Redis Cluster', () => stressed);
    describeStressedConsistencyChecker('Redis Cluster', () => stressed);
  });

  it('keeps two instances consistent: bus, tags, stampede lock and pattern invalidation', async () => {
    // One load across both is what the lock buys; a soft timeout (a busy machine) trades it away by design.
    const options = onCluster({ redis: { ...redis(), softTimeout: 3000 } });
    const [a, b] = [await instance(options), await instance(options)];
    let loads = 0;
    const loader = async () => {
      loads++;
      await sleep(30);
      return { name: 'widget' };
    };
    const reads = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).cache.getOrSet('product:1', loader, { tags: ['product:1'] }),
    );
    expect(new Set((await Promise.all(reads)).map((v) => v.name))).toEqual(new Set(['widget']));
    expect(loads).toBe(1); // one load across both instances: the lock works on the cluster

    expect(await b.cache.get('product:1')).toEqual({ name: 'widget' }); // now in B's L1
    await a.cache.invalidateTags(['product:1']);
    await vi.waitFor(async () => expect(await b.cache.get('product:1')).toBeUndefined());

    for (let i = 0; i < 30; i++) await a.cache.set(`report:${i}`, i);
    await b.cache.get('report:7');
    expect(await b.cache.invalidatePattern('report:*')).toBe(30);
    // A (which set them, so holds them in L1) follows within the bus delivery time.
    await vi.waitFor(async () => expect(await a.cache.get('report:7')).toBeUndefined());
    await expectNoErrors(a, b);
  });

  it('keeps an entry and its tag versions in one slot of one master', async () => {
    const options = onCluster();
    const { cache } = await instance(options);
    await cache.set('k', 1, { tags: ['t1', 't2'] });
    const client = createRedisClient(redis(), 'queue');
    closers.push(() => client.quit());
    const masters = await waitForMasters(client);
    const holding = await Promise.all(masters.map((node) => node.keys(`{${options.prefix}}:*`)));
    expect(holding.filter((keys) => keys.length > 0)).toHaveLength(1);
    expect(holding.flat().length).toBeGreaterThanOrEqual(3); // the entry and its counters
    await expectNoErrors({ cache });
  });

  it('stores sessions on the cluster', async () => {
    const client = createRedisClient(redis(), 'queue');
    closers.push(() => client.quit());
    const store = new RedisSessionStore(client, `{${uniquePrefix('sess')}}:~sess`);
    const set = (sid: string, session: never) => store.set(sid, session);
    const get = (sid: string) => store.get(sid);
    const session = { cookie: { originalMaxAge: 60_000 }, user: { id: 7 } } as never;
    await set('a'.repeat(32), session);
    await set('b'.repeat(32), session);
    expect(await get('a'.repeat(32))).toMatchObject({ user: { id: 7 } });
    expect(await store.revokeAll(7)).toBe(2);
    expect(await get('b'.repeat(32))).toBeNull();
  });

  it('runs BullMQ warm jobs on the cluster (hash-tagged queue prefix)', async () => {
    const counters = new Counters();
    const app: INestApplication = await bootWarmingApp(uniquePrefix('cwarm'), counters, 'cluster', redis());
    closers.push(() => app.close());
    const [job] = await app.get(CacheWarmingService).enqueue(['inherited']);
    await vi.waitFor(() => expect(counters.runs.get('inherited')).toBe(1), { timeout: 10_000 });
    await vi.waitFor(async () =>
      expect(await app.get(CacheWarmingService).job(job!.jobId)).toMatchObject({ state: 'completed' }),
    );
  });

  it('queues write-behind changes on the cluster and applies them', async () => {
    const wb: WbApp = await bootWriteBehindApp(uniquePrefix('cwb'), {}, undefined, redis());
    closers.push(() => wb.app.close());
    await seedRows(wb.db, 9000, 3);
    for (let round = 0; round < 4; round++) {
      for (let id = 9000; id < 9003; id++) await wb.wb.increment('row', id, 'views', 1);
    }
    await wb.wb.flush();
    expect((await rowsOf(wb.db, 9000, 3)).map((row) => Number(row.views))).toEqual([4, 4, 4]);
  });
});

async function expectNoErrors(...instances: Pick<CacheInstance, 'cache'>[]): Promise<void> {
  for (const { cache } of instances) expect(cache.stats()).toMatchObject({ errors: 0, corrupt: 0 });
}

/** The cluster client's master connections, once it has learned the slots. */
async function waitForMasters(client: ReturnType<typeof createRedisClient>) {
  await client.ping();
  return (client as Cluster).nodes('master');
}
