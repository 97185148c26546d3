import type { Cluster, Redis } from 'ioredis';

/** A Redis server's address (a Sentinel, or a Cluster seed node). */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/**
 * Redis tier connection: exactly one of `url` (one server), `sentinel`, `cluster` (the module owns
 * and closes those clients) or `client` (yours; never closed by the module). `redisOptionsFromEnv`
 * reads the same choice from REDIS_URL / REDIS_SENTINELS / REDIS_CLUSTER_NODES.
 */
export interface RedisModuleOptions {
  /** `redis://[:password@]host:port/db` or `rediss://` for TLS. */
  url?: string;
  /** Redis Sentinel: the master's name and some sentinels; failovers are followed automatically. */
  sentinel?: {
    name: string;
    sentinels: RedisNodeAddress[];
    /** Password of the Redis servers (not of the sentinels). */
    password?: string;
    sentinelPassword?: string;
    db?: number;
    tls?: boolean;
  };
  /**
   * Redis Cluster: seed nodes (the rest are discovered). Every key of one prefix is hash-tagged
   * (`{prefix}:…`) into one slot: the scripts read an entry and its tag versions atomically.
   */
  cluster?: { nodes: RedisNodeAddress[]; password?: string; tls?: boolean };
  /** An existing ioredis client (`Redis` or `Cluster`); the module defines its scripts on it and never closes it. */
  client?: Redis | Cluster;
  /**
   * Soft timeout: a read (or a step of a fill) that Redis has not answered within this many ms is
   * treated as a miss and the loader runs; the command goes on in the background. 0: wait up to
   * `commandTimeout`. Default 250.
   */
  softTimeout?: number;
  /** Hard timeout: a Redis command that takes longer than this many ms fails (and the cache fails open). Default 1 000. */
  commandTimeout?: number;
  /** Give up a connection attempt after this many ms. Default 2 000. */
  connectTimeout?: number;
}

/** Redis options with the module's timeouts applied (resolveCacheOptions); what RedisConnection takes. */
export type ResolvedRedisOptions = Readonly<
  RedisModuleOptions & Required<Pick<RedisModuleOptions, 'softTimeout' | 'commandTimeout' | 'connectTimeout'>>
>;
