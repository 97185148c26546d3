const MiB = 1024 * 1024;

/**
 * Every literal default of `CacheModuleOptions`, once, shaped like the options. `resolveCacheOptions`
 * applies them, `createRedisClient` falls back to the Redis ones for its direct callers, and a test
 * checks docs/options.md against them. Defaults computed from other options (`loaderTimeout` is
 * `fillWindow`) or that are functions (`failSafe.when`, `keyGroup`, `serializer`) live in the resolver.
 * Durations in ms, sizes in bytes.
 */
export const CACHE_OPTION_DEFAULTS = {
  prefix: 'cache',
  namespace: 'default',
  ttl: 60_000,
  grace: 0,
  fillWindow: 60_000,
  maxValueBytes: 8 * MiB,
  compressAbove: 16_384,
  redis: { softTimeout: 250, commandTimeout: 1_000, connectTimeout: 2_000 },
  lock: { ttl: 10_000, maxWait: 5_000 },
  failSafe: { maxStale: 3_600_000, retryAfter: 5_000, maxRetryAfter: 60_000 },
  circuitBreaker: { threshold: 5, window: 10_000, cooldown: 2_000 },
  bus: { heartbeat: 1_000, missedBeats: 3 },
  l1: { maxEntries: 10_000, maxBytes: 64 * MiB, maxEntryBytes: MiB, policy: 'lru' },
  http: { namespace: 'http', maxBodyBytes: MiB, sessionCookies: ['connect.sid', 'sessionId', 'sid'] },
} as const;
