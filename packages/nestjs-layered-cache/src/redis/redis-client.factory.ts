import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { CACHE_OPTION_DEFAULTS } from '../core/cache-option.defaults.js';
import type { RedisModuleOptions } from './redis-options.interface.js';

export type RedisClient = Redis | Cluster;

/**
 * What a client is for. `cache`: fails fast (no offline queue, a command timeout) so the cache can
 * fail open. `queue`: BullMQ's needs (blocking commands, retried forever, queued while reconnecting).
 */
export type ClientRole = 'cache' | 'queue';

const DEFAULTS = CACHE_OPTION_DEFAULTS.redis;

/** Reconnect backoff: 200 ms more per attempt, at most 2 s. */
const retryStrategy = (attempt: number): number => Math.min(attempt * 200, 2000);

/**
 * The one place that builds ioredis clients, from the module's options: a single server (`url`),
 * Sentinel (follows failovers) or Cluster. Every part of the module uses it. Unset timeouts take
 * the module's defaults (CACHE_OPTION_DEFAULTS.redis), for callers that pass raw options.
 */
export function createRedisClient(options: RedisModuleOptions, role: ClientRole): RedisClient {
  const { connectTimeout = DEFAULTS.connectTimeout, commandTimeout = DEFAULTS.commandTimeout } = options;
  const common: RedisOptions =
    role === 'cache'
      ? {
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout,
          connectTimeout,
          retryStrategy,
        }
      : { maxRetriesPerRequest: null, connectTimeout, retryStrategy };
  if (options.cluster) {
    const { nodes, password, tls } = options.cluster;
    // Node connections are the Cluster's to manage (it opens them on first use and reconnects
    // them): they get only timeouts and credentials; failing fast is set at the cluster level.
    const { lazyConnect, enableOfflineQueue: _queue, retryStrategy: _retry, ...node } = common;
    return new Cluster(nodes, {
      lazyConnect,
      enableOfflineQueue: role === 'queue',
      clusterRetryStrategy: retryStrategy,
      redisOptions: { ...node, password, ...(tls ? { tls: {} } : {}) },
    });
  }
  if (options.sentinel) {
    const { name, sentinels, password, sentinelPassword, db, tls } = options.sentinel;
    return new Redis({
      ...common,
      name,
      sentinels,
      password,
      sentinelPassword,
      db,
      // Switch to the new master as soon as a sentinel announces it, not at the next disconnect.
      failoverDetector: true,
      sentinelRetryStrategy: retryStrategy,
      ...(tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
    });
  }
  if (options.url) return new Redis(options.url, common);
  return duplicate(options.client!, role);
}

/** A new client like the caller's own (same servers and credentials) with the settings of `role`. */
function duplicate(client: RedisClient, role: ClientRole): RedisClient {
  const overrides: RedisOptions =
    role === 'queue'
      ? { maxRetriesPerRequest: null, enableOfflineQueue: true, commandTimeout: undefined }
      : { enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  return isCluster(client) ? client.duplicate(undefined, { redisOptions: overrides }) : client.duplicate(overrides);
}

export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/**
 * A pub/sub connection beside `client` (same servers): queues commands while reconnecting and
 * never times them out; the caller resubscribes itself on `ready`.
 */
export function createSubscriber(client: RedisClient, connectionName: string): RedisClient {
  const options: RedisOptions = {
    autoResubscribe: false,
    enableOfflineQueue: true,
    lazyConnect: true,
    commandTimeout: undefined,
    connectionName,
  };
  return isCluster(client)
    ? client.duplicate(undefined, { lazyConnect: true, enableOfflineQueue: true, redisOptions: options })
    : client.duplicate(options);
}
