import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  address,
  HOST,
  startNode,
  startNodes,
  stopAll,
  waitFor,
  type RedisNode,
  type RedisNodeAddress,
} from './redis-process.js';

/**
 * Real local Redis Cluster and Sentinel topologies, started from the `redis-server` binary (no redis-cli, no
 * Docker), for integration tests. Every node listens on 127.0.0.1 only, persists nothing and has its own temp dir.
 */

export type { RedisNodeAddress } from './redis-process.js';

export interface LocalRedisCluster {
  /** Seed nodes (the masters), for `new Cluster(nodes)`. */
  nodes: RedisNodeAddress[];
  stop(): Promise<void>;
}

export interface LocalRedisSentinel {
  sentinels: RedisNodeAddress[];
  masterName: string;
  /**
   * Forces a failover (SENTINEL FAILOVER) and resolves once the sentinel reports the replica as the new master and it
   * answers ROLE as master. The sentinel demotes the old master (and kills its clients) about a second later; until
   * then it still accepts writes. Can be called again to fail back.
   */
  failover(): Promise<void>;
  /** Current master address as the sentinel reports it. */
  master(): Promise<RedisNodeAddress>;
  stop(): Promise<void>;
}

const SLOTS = 16384;

/** Redis' own replication view: ['slave', host, port, 'connected', offset] once the initial sync is done. */
async function replicaInSync(node: RedisNode): Promise<boolean> {
  const role = await node.admin.role();
  return role[0] === 'slave' && role[3] === 'connected';
}

/** Ports per slot range (master, then replicas) as one node sees them; undefined while a range lacks replicas. */
async function slotMap(node: RedisNode, replicasPerMaster: number): Promise<string | undefined> {
  const ranges = (await node.admin.call('CLUSTER', 'SLOTS')) as [number, number, ...[string, number][]][];
  if (ranges.some((range) => range.length !== 3 + replicasPerMaster)) return undefined;
  return ranges
    .map(([start, end, ...owners]) => `${start}-${end}:${owners.map(([, port]) => port).join(',')}`)
    .sort()
    .join(' ');
}

/** CLUSTER REPLICATE only accepts a master the replica already knows, not one still in handshake. */
async function allNodesKnown(nodes: RedisNode[]): Promise<boolean> {
  const views = await Promise.all(nodes.map((node) => node.admin.call('CLUSTER', 'NODES')));
  return views.every((view) => {
    const lines = String(view).trim().split('\n');
    return lines.length === nodes.length && !lines.some((line) => /handshake|noaddr/.test(line));
  });
}

/** Every node reports cluster_state:ok and the same slot map, with every replica listed and in sync. */
async function clusterConverged(nodes: RedisNode[], replicas: RedisNode[], perMaster: number): Promise<boolean> {
  const infos = await Promise.all(nodes.map((node) => node.admin.call('CLUSTER', 'INFO')));
  if (!infos.every((info) => String(info).includes('cluster_state:ok'))) return false;
  const maps = await Promise.all(nodes.map((node) => slotMap(node, perMaster)));
  const synced = await Promise.all(replicas.map(replicaInSync));
  return maps[0] !== undefined && new Set(maps).size === 1 && synced.every(Boolean);
}

export async function startRedisCluster({ masters = 3, replicasPerMaster = 0 } = {}): Promise<LocalRedisCluster> {
  // A short node timeout keeps failure detection (and thus failover tests) fast.
  const clusterArgs = '--cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000'.split(' ');
  const nodes = await startNodes(masters * (1 + replicasPerMaster), () => clusterArgs, true);
  const [primaries, replicas] = [nodes.slice(0, masters), nodes.slice(masters)];
  try {
    // Slots and distinct config epochs before meeting (as redis-cli does), so no epoch collision has to be resolved.
    await Promise.all(
      primaries.map(async (node, i) => {
        const [first, last] = [Math.floor((i * SLOTS) / masters), Math.floor(((i + 1) * SLOTS) / masters) - 1];
        await node.admin.call('CLUSTER', 'ADDSLOTSRANGE', first, last);
        await node.admin.call('CLUSTER', 'SET-CONFIG-EPOCH', i + 1);
      }),
    );
    await Promise.all(nodes.slice(1).map((node) => nodes[0].admin.call('CLUSTER', 'MEET', HOST, node.port)));
    await waitFor('every node to know every other node', () => allNodesKnown(nodes));
    await Promise.all(
      replicas.map(async (replica, i) => {
        const masterId = await primaries[Math.floor(i / replicasPerMaster)].admin.call('CLUSTER', 'MYID');
        await replica.admin.call('CLUSTER', 'REPLICATE', String(masterId));
      }),
    );
    await waitFor('cluster_state:ok and one slot map on every node', () =>
      clusterConverged(nodes, replicas, replicasPerMaster),
    );
  } catch (error) {
    await stopAll(nodes);
    throw error;
  }
  return { nodes: primaries.map(address), stop: () => stopAll(nodes) };
}

/** A sentinel rewrites its config file (state, discovered replicas), so it must be a writable file of its own. */
function writeSentinelConfig(dir: string, masterName: string, masterPort: number): string {
  const path = join(dir, 'sentinel.conf');
  const lines = [
    `sentinel monitor ${masterName} ${HOST} ${masterPort} 1`,
    `sentinel down-after-milliseconds ${masterName} 1000`,
    `sentinel failover-timeout ${masterName} 5000`,
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/**
 * A sentinel refreshes INFO every 10 s and demotes a returning old master only after 4 publish periods (8 s), so
 * replicas would be found, and a second failover be possible, only ~20 s later. SENTINEL DEBUG (Redis 7.0+, meant
 * for tests) shortens both; older servers keep the defaults and the waits are just slower.
 */
async function speedUpSentinel(sentinel: RedisNode): Promise<void> {
  await sentinel.admin.call('SENTINEL', 'DEBUG', 'INFO-PERIOD', 200, 'PUBLISH-PERIOD', 200).catch(() => undefined);
}

/** SENTINEL REPLICAS replies with one flat [field, value, ...] list per replica. */
function fields(flat: unknown): Map<string, string> {
  const list = flat as string[];
  return new Map(list.flatMap((value, i) => (i % 2 === 0 ? [[value, list[i + 1]] as const] : [])));
}

export async function startRedisSentinel({ masterName = 'mymaster' } = {}): Promise<LocalRedisSentinel> {
  const started: RedisNode[] = [];
  try {
    const master = await startNode(() => []);
    started.push(master);
    const replica = await startNode(() => ['--replicaof', HOST, String(master.port)]);
    started.push(replica);
    await waitFor('the replica to sync', () => replicaInSync(replica));
    const sentinel = await startNode((_port, dir) => [writeSentinelConfig(dir, masterName, master.port), '--sentinel']);
    started.push(sentinel);
    await speedUpSentinel(sentinel);

    const currentMaster = async (): Promise<RedisNodeAddress> => {
      const [host, port] = (await sentinel.admin.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)) as string[];
      return { host, port: Number(port) };
    };
    // Without a replica the sentinel sees as connected and in sync, SENTINEL FAILOVER fails with NOGOODSLAVE.
    const waitForGoodReplica = () =>
      waitFor('the sentinel to see a healthy replica', async () => {
        const replicas = (await sentinel.admin.call('SENTINEL', 'REPLICAS', masterName)) as unknown[];
        return replicas
          .map(fields)
          .some((r) => !/down|disconnected/.test(r.get('flags') ?? '') && r.get('master-link-status') === 'ok');
      });
    await waitForGoodReplica();

    return {
      sentinels: [address(sentinel)],
      masterName,
      master: currentMaster,
      async failover() {
        const before = await currentMaster();
        await waitForGoodReplica();
        await sentinel.admin.call('SENTINEL', 'FAILOVER', masterName);
        // GET-MASTER-ADDR-BY-NAME names the promoted replica while the failover is still in progress (and a new
        // SENTINEL FAILOVER would fail with INPROG), so wait for SENTINEL MASTER to show it finished.
        await waitFor('the promoted replica to become master', async () => {
          const state = fields(await sentinel.admin.call('SENTINEL', 'MASTER', masterName));
          if (state.get('flags')?.includes('failover') || Number(state.get('port')) === before.port) return false;
          const promoted = [master, replica].find((node) => node.port === Number(state.get('port')));
          return promoted !== undefined && (await promoted.admin.role())[0] === 'master';
        });
      },
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}
