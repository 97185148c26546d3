import { once } from 'node:events';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisModuleOptions } from '../../src/index.js';
import { startLatencyProxy, type LatencyProxy } from '@internal/dev-services';
import type { LocalRedisCluster, LocalRedisSentinel, RedisNodeAddress } from '@internal/dev-services';

/**
 * Redis made slow on purpose for the stress runs: every reply goes through a latency proxy that
 * delays it by a random 0…`STRESS_JITTER_MS` ms (per connection in order, as a busy server or
 * network would), on a single server, a Sentinel master or every master of a Cluster.
 */
export const STRESS_JITTER_MS = Number(process.env.STRESS_JITTER_MS ?? 30);

/** Timeouts of one instance; the defaults are the module's. */
export interface StressTimeouts {
  softTimeout?: number;
  commandTimeout?: number;
}

export interface StressedRedis {
  readonly topology: string;
  /** Redis options for one more cache instance, its replies jittered (a new client each time). */
  redis(timeouts?: StressTimeouts): Promise<RedisModuleOptions>;
  /** Closes the clients it made and the proxies. */
  close(): Promise<void>;
}

/** What the module's own cache client gets (see createRedisClient), for the clients made here. */
const cacheRole = (commandTimeout = 1000): RedisOptions => ({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout,
  connectTimeout: 2000,
});

async function jittered(host: string, port: number): Promise<LatencyProxy> {
  const proxy = await startLatencyProxy(`redis://${host}:${port}`);
  proxy.jitter(STRESS_JITTER_MS);
  return proxy;
}

const portOf = (proxy: LatencyProxy) => Number(new URL(proxy.url).port);

/** Maps each node's address (as Redis announces it) to its proxy. */
function natMapOf(nodes: RedisNodeAddress[], proxies: LatencyProxy[]) {
  return Object.fromEntries(
    nodes.map((n, i) => [`${n.host}:${n.port}`, { host: '127.0.0.1', port: portOf(proxies[i]!) }]),
  );
}

function made(
  topology: string,
  proxies: LatencyProxy[],
  connect: (timeouts: StressTimeouts) => Promise<Redis | Cluster>,
) {
  const clients: (Redis | Cluster)[] = [];
  return {
    topology,
    async redis(timeouts: StressTimeouts = {}): Promise<RedisModuleOptions> {
      const client = await connect(timeouts);
      clients.push(client);
      return { client, softTimeout: timeouts.softTimeout };
    },
    async close() {
      for (const client of clients) client.disconnect();
      await Promise.all(proxies.map((proxy) => proxy.close()));
    },
  };
}

/** A client the module does not own must be ready before use (it has no offline queue). */
async function ready<C extends Redis | Cluster>(client: C): Promise<C> {
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

export async function stressSingle(url: string): Promise<StressedRedis> {
  const target = new URL(url);
  const proxy = await jittered(target.hostname, Number(target.port || 6379));
  return {
    topology: 'single Redis',
    redis: async ({ softTimeout, commandTimeout } = {}) => ({ url: proxy.url, softTimeout, commandTimeout }),
    close: () => proxy.close(),
  };
}

export async function stressCluster(cluster: LocalRedisCluster): Promise<StressedRedis> {
  const proxies = await Promise.all(cluster.nodes.map((n) => jittered(n.host, n.port)));
  const natMap = natMapOf(cluster.nodes, proxies);
  const seeds = proxies.map((proxy) => ({ host: '127.0.0.1', port: portOf(proxy) }));
  return made('Redis Cluster', proxies, ({ commandTimeout }) =>
    ready(new Cluster(seeds, { natMap, enableOfflineQueue: false, redisOptions: cacheRole(commandTimeout) })),
  );
}

/** Through the master the sentinel names now (the stress runs do not fail over). */
export async function stressSentinel(sentinel: LocalRedisSentinel): Promise<StressedRedis> {
  const master = await sentinel.master();
  const proxies = [await jittered(master.host, master.port)];
  const natMap = natMapOf([master], proxies);
  return made('Redis Sentinel', proxies, ({ commandTimeout }) =>
    ready(
      new Redis({ sentinels: sentinel.sentinels, name: sentinel.masterName, natMap, ...cacheRole(commandTimeout) }),
    ),
  );
}
