import type { CacheModuleOptions } from '../cache-options.interface.js';
import { CACHE_OPTION_DEFAULTS as D } from '../core/cache-option.defaults.js';
import { isOutage } from '../core/fail-safe.js';
import type { StackConfig } from '../core/stack-config.js';
import { defaultKeyGroup } from '../events/key-group.js';
import { defaultTenantId, defaultUserId } from '../http/http-cache.context.js';
import type { ResolvedHttpCacheOptions } from '../http/http-cache.interface.js';
import type { L1Options } from '../l1/l1-cache.js';
import type { ResolvedRedisOptions } from '../redis/redis-options.interface.js';
import type { CacheSerializer } from '../serialization/cache-serializer.interface.js';
import { V8Serializer } from '../serialization/v8.serializer.js';
import { validateCacheOptions } from './cache-options.schema.js';

const freeze = <T extends object>(value: T): Readonly<T> => Object.freeze(value);

/**
 * `CacheModuleOptions` validated, with every default applied and every derived value computed:
 * what the module's providers read (under CACHE_OPTIONS), never the raw options.
 */
export interface ResolvedCacheOptions {
  /** First segment of keys and channels, before a cluster's hash tag is added. */
  readonly prefix: string;
  /** Name of the root namespace. */
  readonly namespace: string;
  /** The engine's settings. */
  readonly stack: Readonly<StackConfig>;
  /** L1 limits, or false for a Redis-only cache. */
  readonly l1: Readonly<L1Options> | false;
  /** Redis with its timeouts, or false for an in-process cache. */
  readonly redis: ResolvedRedisOptions | false;
  /** The bus's heartbeat, or false when there is no bus (no L1, no Redis, or `bus: false`). */
  readonly bus: Readonly<{ heartbeat: number; missedBeats: number }> | false;
  /** How long a fill placeholder or a delete tombstone lives in L2, ms. */
  readonly fillWindow: number;
  readonly serializer: CacheSerializer;
  /** Compress payloads larger than this many bytes; Infinity never compresses. */
  readonly compressAbove: number;
  readonly http: ResolvedHttpCacheOptions;
}

/** Validates `options` (CacheConfigError naming each wrong option) and resolves them once. */
export function resolveCacheOptions(options: CacheModuleOptions): ResolvedCacheOptions {
  validateCacheOptions(options);
  const ttl = options.ttl ?? D.ttl;
  const grace = options.grace ?? D.grace;
  const fillWindow = options.fillWindow ?? D.fillWindow;
  const failSafe = options.failSafe || undefined;
  // How long entries are kept for fail-safe: only when it is on.
  const failSafeWindow = failSafe ? (failSafe.maxStale ?? D.failSafe.maxStale) : 0;
  const redis = options.redis ? resolveRedis(options.redis) : false;
  const { lock, circuitBreaker: circuit, l1, bus } = options;
  const namespace = options.namespace ?? D.namespace;
  // Frozen (shallowly, object by object we built) so no provider changes what the others read;
  // what the user passed in (a client, a serializer, functions, node lists) is left as is.
  return freeze({
    prefix: options.prefix ?? D.prefix,
    namespace,
    stack: freeze({
      ttl,
      grace,
      // A load running past the fill window could not store its result anyway.
      loaderTimeout: options.loaderTimeout ?? fillWindow,
      maxValueBytes: options.maxValueBytes ?? D.maxValueBytes,
      keyGroup: options.keyGroup ?? defaultKeyGroup,
      rootNamespace: namespace,
      maxTransactionHold: fillWindow,
      failSafe: failSafeWindow,
      failSafeRetry: freeze({
        retryAfter: failSafe?.retryAfter ?? D.failSafe.retryAfter,
        maxRetryAfter: failSafe?.maxRetryAfter ?? D.failSafe.maxRetryAfter,
        when: failSafe?.when ?? isOutage,
      }),
      // Without Redis there is nothing to time out.
      softTimeout: redis ? redis.softTimeout : 0,
      lock: lock === false ? false : freeze({ ttl: lock?.ttl ?? D.lock.ttl, maxWait: lock?.maxWait ?? D.lock.maxWait }),
      circuit:
        circuit === false
          ? false
          : freeze({
              threshold: circuit?.threshold ?? D.circuitBreaker.threshold,
              window: circuit?.window ?? D.circuitBreaker.window,
              cooldown: circuit?.cooldown ?? D.circuitBreaker.cooldown,
            }),
    }),
    l1:
      l1 === false
        ? false
        : freeze({
            maxEntries: l1?.maxEntries ?? D.l1.maxEntries,
            maxBytes: l1?.maxBytes ?? D.l1.maxBytes,
            maxEntryBytes: l1?.maxEntryBytes ?? D.l1.maxEntryBytes,
            policy: l1?.policy ?? D.l1.policy,
          }),
    redis,
    // The bus exists to keep L1s honest: without L1 or without Redis there is nothing to do.
    bus:
      !redis || l1 === false || bus === false
        ? false
        : freeze({
            heartbeat: (typeof bus === 'object' ? bus.heartbeat : undefined) ?? D.bus.heartbeat,
            missedBeats: (typeof bus === 'object' ? bus.missedBeats : undefined) ?? D.bus.missedBeats,
          }),
    fillWindow,
    serializer: options.serializer ?? new V8Serializer(),
    compressAbove: options.compressAbove === false ? Infinity : (options.compressAbove ?? D.compressAbove),
    http: freeze({
      namespace: options.http?.namespace ?? D.http.namespace,
      maxBodyBytes: options.http?.maxBodyBytes ?? D.http.maxBodyBytes,
      sessionCookies: options.http?.sessionCookies ?? D.http.sessionCookies,
      userId: options.http?.userId ?? defaultUserId,
      tenantId: options.http?.tenantId ?? defaultTenantId,
      ttl,
      grace,
      failSafe: failSafeWindow,
    }),
  });
}

function resolveRedis(redis: NonNullable<CacheModuleOptions['redis']> & object): ResolvedRedisOptions {
  return freeze({
    ...redis,
    softTimeout: redis.softTimeout ?? D.redis.softTimeout,
    commandTimeout: redis.commandTimeout ?? D.redis.commandTimeout,
    connectTimeout: redis.connectTimeout ?? D.redis.connectTimeout,
  });
}
