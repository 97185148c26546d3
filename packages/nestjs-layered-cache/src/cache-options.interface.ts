import type { HttpCacheModuleOptions } from './http/http-cache.interface.js';
import type { RedisModuleOptions } from './redis/redis-options.interface.js';
import type { CacheSerializer } from './serialization/cache-serializer.interface.js';

/** In-process tier limits. */
export interface L1ModuleOptions {
  /** Most entries kept in memory. Default 10 000. */
  maxEntries?: number;
  /**
   * Most bytes of memory L1 takes: each entry is charged its estimated heap (decoded value, record,
   * key, tag index), within ±25 % of the real heap growth. Default 64 MiB.
   */
  maxBytes?: number;
  /** Values taking more memory than this skip L1 (still cached in L2). Default 1 MiB. */
  maxEntryBytes?: number;
  /**
   * Which entries L1 keeps when full: `'lru'` (recency only) or `'tinylfu'` (W-TinyLFU, as in
   * Caffeine: a newcomer gets in only if it is seen more often than the entry it would push out,
   * so scans and loops larger than L1 do not flush the popular entries). Default `lru`.
   */
  policy?: 'lru' | 'tinylfu';
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
   */
  failSafe?:
    | {
        /** How long after grace entries are kept, ms. Default 3 600 000. */
        maxStale?: number;
        /** Wait after a failure before the loader is called again, ms; doubles per failure in a row. Default 5 000. */
        retryAfter?: number;
        /** Ceiling of that wait, ms. Default 60 000. */
        maxRetryAfter?: number;
        /** Which loader errors a kept value may hide. Default: `isOutage` (all but HTTP 4xx exceptions). */
        when?: (error: unknown) => boolean;
      }
    | false;
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
   * it off (no bound). The defaults make a 3 s bound.
   */
  bus?:
    | boolean
    | {
        /** How often a beat is published, ms (0: no heartbeat). Default 1 000. */
        heartbeat?: number;
        /** Beats that may go unheard before L1 is bypassed, ≥ 2. Default 3. */
        missedBeats?: number;
      };
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
   * try.
   */
  circuitBreaker?:
    | {
        /** Errors within `window` that open the circuit. Default 5. */
        threshold?: number;
        /** Window errors are counted in, ms. Default 10 000. */
        window?: number;
        /** How long the circuit stays open before one probe, ms. Default 2 000. */
        cooldown?: number;
      }
    | false;
  /** HTTP response caching (`@CacheRoute`): scopes, limits, namespace. */
  http?: HttpCacheModuleOptions;
}

export type { RedisModuleOptions, RedisNodeAddress } from './redis/redis-options.interface.js';
