import type { Cluster, Redis } from 'ioredis';
import type { HttpCacheModuleOptions } from './http/http-cache.interface.js';
import type { CacheSerializer } from './serialization/cache-serializer.interface.js';

/** In-process tier limits. */
export interface L1ModuleOptions {
  /** Most entries kept in memory. Default 10 000. */
  maxEntries?: number;
  /** Most bytes kept in memory (serialized size + ~120 B per entry). Default 64 MiB. */
  maxBytes?: number;
  /** Values larger than this many bytes skip L1 (still cached in L2). Default 1 MiB. */
  maxEntryBytes?: number;
}

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
  /** Hard timeout: a Redis command that takes longer than this many ms fails (and the cache fails open). Default 1000. */
  commandTimeout?: number;
  /** Give up a connection attempt after this many ms. Default 2000. */
  connectTimeout?: number;
}

export interface CacheModuleOptions {
  /** First segment of every Redis key and channel; one prefix per application. Default `cache`. */
  prefix?: string;
  /** Name of the root namespace (`<prefix>:<namespace>:<key>`). Default `default`. */
  namespace?: string;
  /** Default freshness of an entry, in ms. Default 60 000. */
  ttl?: number;
  /**
   * Cut a loader off after this many ms: its AbortSignal aborts and every caller waiting on it gets
   * CacheLoaderTimeoutError. 0: never. Default: `fillWindow` (60 000).
   */
  loaderTimeout?: number;
  /** Default grace after `ttl` during which a stale entry is served while it refreshes, in ms. Default 0. */
  grace?: number;
  /**
   * Fail-safe (RFC 5861 stale-if-error): entries are kept `maxStale` ms after their grace, and when
   * the loader of an expired entry fails, the kept value answers instead of the error (marked stale).
   * The loader is then not called again for that key for `retryAfter` ms, doubling per failure in a
   * row up to `maxRetryAfter`. `when` picks the errors a kept value may hide (default: all but HTTP
   * 4xx exceptions). `false` (default): entries are not kept; failed loads still back off.
   * Defaults when on: maxStale 3 600 000, retryAfter 5 000, maxRetryAfter 60 000.
   */
  failSafe?:
    { maxStale?: number; retryAfter?: number; maxRetryAfter?: number; when?: (error: unknown) => boolean } | false;
  /** L1 limits, or `false` for a Redis-only cache. */
  l1?: L1ModuleOptions | false;
  /** Redis connection, or `false` for an in-process-only cache. Required: there is no implicit localhost. */
  redis?: RedisModuleOptions | false;
  /**
   * Cross-instance stampede protection for `getOrSet` misses: one instance loads, the others wait
   * for its entry. `false` disables it.
   */
  lock?:
    | {
        /** Lock lifetime if its holder dies, ms. Default 10 000. */ ttl?: number;
        /** Longest wait before loading anyway, ms. Default 5 000. */ maxWait?: number;
      }
    | false;
  /**
   * Keep other instances' L1 consistent over Redis pub/sub (on whenever both tiers are). Turn off
   * only for a single instance: with the bus, L1 is bypassed while it is disconnected. `heartbeat`:
   * every this many ms the instance publishes a beat on the bus; only a beat its subscriber hears
   * back proves the bus (a failed or timed-out publish proves nothing). Once no beat sent within
   * the last `heartbeat × missedBeats` ms was heard, L1 is bypassed (and then emptied and the
   * subscription reconnected) until the bus proves itself again: that product bounds how stale L1
   * can be while the bus is broken (a stalled Redis, a half-open connection). `heartbeat` 0 turns
   * it off (no bound). Defaults: heartbeat 1 000, missedBeats 3 (a 3 s bound).
   */
  bus?: boolean | { heartbeat?: number; missedBeats?: number };
  /** Values whose serialized size exceeds this many bytes are not cached (counted, logged once). Default 8 MiB. */
  maxValueBytes?: number;
  /** Compress payloads larger than this many bytes (brotli); `false` never compresses. Default 16 384. */
  compressAbove?: number | false;
  /**
   * How long a fill may take and still store its result, and how long a deleted key remembers its
   * deletion, in ms. A loader running longer returns its value without caching it. Also the longest
   * a transaction's tags stay fenced when its commit or rollback is never seen (a dead connection):
   * then they are invalidated and released. Default 60 000.
   */
  fillWindow?: number;
  /** Serializer for both tiers. Default: Node's v8 serializer (keeps Date, BigInt, Map, Set, Buffer). */
  serializer?: CacheSerializer;
  /** Folds a key into a metrics group; default: first segment of the key with digits folded. */
  keyGroup?: (key: string) => string;
  /**
   * Stop sending to Redis while it keeps failing: `threshold` errors within `window` ms open the
   * circuit (operations fail open at once); after `cooldown` ms one probe is tried. `false`: always
   * try. Defaults 5 errors / 10 000 ms / 2 000 ms.
   */
  circuitBreaker?: { threshold?: number; window?: number; cooldown?: number } | false;
  /** HTTP response caching (`@CacheRoute`): scopes, limits, namespace. */
  http?: HttpCacheModuleOptions;
}
