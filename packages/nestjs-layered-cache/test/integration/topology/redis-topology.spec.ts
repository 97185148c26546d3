import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  startRedisCluster,
  startRedisSentinel,
  type LocalRedisCluster,
  type LocalRedisSentinel,
} from '@internal/dev-services';

/** Proves the harness itself: real topologies that ioredis' Cluster and Sentinel clients can use. */
describe('local Redis Cluster (3 masters, 1 replica each)', () => {
  let cluster: LocalRedisCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
    client = new Cluster(cluster.nodes);
  });
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('serves keys from every slot range and agrees on 3 masters', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `topology:${i}`);
    await Promise.all(keys.map((key, i) => client.set(key, String(i))));
    expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys.map((_, i) => String(i)));

    const info = await client.cluster('INFO');
    expect(info).toContain('cluster_state:ok');
    expect(info).toContain('cluster_size:3');
    const ranges = await client.cluster('SLOTS');
    expect(ranges.map((range) => range.length)).toEqual([4, 4, 4]); // start, end, master, replica
    const masters = client.nodes('master');
    expect(masters).toHaveLength(3);
    const perMaster = await Promise.all(masters.map((node) => node.dbsize()));
    expect(perMaster.filter((count) => count > 0).length).toBeGreaterThan(1);
    expect(perMaster.reduce((a, b) => a + b, 0)).toBe(200);
  });
});

describe('local Redis Sentinel (master, replica, sentinel)', () => {
  let topology: LocalRedisSentinel;
  let client: Redis;
  beforeAll(async () => {
    topology = await startRedisSentinel();
    // failoverDetector: drop the connection on +switch-master instead of waiting for the old master to be demoted.
    client = new Redis({ sentinels: topology.sentinels, name: topology.masterName, failoverDetector: true });
  });
  afterAll(async () => {
    client?.disconnect();
    await topology?.stop();
  });

  /** The port of the server this connection is on, as that server sees it (CLIENT INFO's laddr). */
  async function connectedPort(redis: Redis): Promise<number> {
    const info = String(await redis.call('CLIENT', 'INFO'));
    return Number(/laddr=[^ ]+:(\d+)/.exec(info)?.[1]);
  }

  it('promotes the replica; the client follows and still reads the key', async () => {
    await client.set('topology:sentinel', 'kept');
    expect(await client.wait(1, 2000)).toBe(1); // replicated before the failover
    const before = await topology.master();
    expect(await connectedPort(client)).toBe(before.port);

    await topology.failover();

    const after = await topology.master();
    expect(after.port).not.toBe(before.port);
    await vi.waitFor(async () => expect(await connectedPort(client)).toBe(after.port), { timeout: 10_000 });
    expect(await client.get('topology:sentinel')).toBe('kept');
  });
});
