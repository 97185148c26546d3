import { z } from 'zod';
import type { CacheModuleOptions } from './cache-options.interface.js';
import { CacheConfigError } from './errors/cache-config.error.js';

const ms = (what: string) =>
  z.number({ error: `${what} must be a number of milliseconds` }).int(`${what} must be whole milliseconds`);
const bytes = (what: string) =>
  z
    .number({ error: `${what} must be a number of bytes` })
    .int()
    .positive(`${what} must be > 0 bytes`);

const policyMessage = 'l1.policy must be "lru" or "tinylfu"';

const nodes = (what: string) =>
  z
    .array(
      z.strictObject({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535),
      }),
      { error: `${what} must be a list of { host, port }` },
    )
    .min(1, `${what} needs at least one { host, port }`);

const schema = z.strictObject({
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'prefix must be 1–64 letters, digits or "_ . : -", e.g. "myapp"')
    .optional(),
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'namespace must be 1–64 letters, digits, "_" or "-"')
    .optional(),
  ttl: ms('ttl').positive('ttl must be > 0 ms (there are no eternal entries)').optional(),
  grace: ms('grace').nonnegative('grace must be ≥ 0 ms').optional(),
  loaderTimeout: ms('loaderTimeout').nonnegative('loaderTimeout must be ≥ 0 ms (0: never)').optional(),
  l1: z
    .union([
      z.literal(false),
      z.strictObject({
        maxEntries: z.number().int().positive('l1.maxEntries must be a positive integer').optional(),
        maxBytes: bytes('l1.maxBytes').optional(),
        maxEntryBytes: bytes('l1.maxEntryBytes').optional(),
        // A refinement rather than z.enum: an enum mismatch aborts, and the union around l1 would
        // then report only "l1: Invalid input" instead of this message.
        policy: z
          .string({ error: policyMessage })
          .refine((v): v is 'lru' | 'tinylfu' => v === 'lru' || v === 'tinylfu', policyMessage)
          .optional(),
      }),
    ])
    .optional(),
  redis: z
    .union([
      z.literal(false),
      z
        .strictObject({
          url: z
            .string()
            .regex(/^rediss?:\/\//, 'redis.url must look like redis://host:6379/0 (or rediss:// for TLS)')
            .optional(),
          sentinel: z
            .strictObject({
              name: z.string().min(1, 'redis.sentinel.name is the master name the sentinels monitor'),
              sentinels: nodes('redis.sentinel.sentinels'),
              password: z.string().optional(),
              sentinelPassword: z.string().optional(),
              db: z.number().int().nonnegative().optional(),
              tls: z.boolean().optional(),
            })
            .optional(),
          cluster: z
            .strictObject({
              nodes: nodes('redis.cluster.nodes'),
              password: z.string().optional(),
              tls: z.boolean().optional(),
            })
            .optional(),
          client: z
            .custom<object>((v) => typeof v === 'object' && v !== null, 'redis.client must be an ioredis client')
            .optional(),
          softTimeout: ms('redis.softTimeout').nonnegative('redis.softTimeout must be ≥ 0 ms (0: none)').optional(),
          commandTimeout: ms('redis.commandTimeout').positive().optional(),
          connectTimeout: ms('redis.connectTimeout').positive().optional(),
        })
        .refine(
          (r) => [r.url, r.sentinel, r.cluster, r.client].filter((v) => v !== undefined).length === 1,
          'redis needs exactly one of url, sentinel, cluster or client',
        ),
    ])
    .optional(),
  lock: z
    .union([
      z.literal(false),
      z.strictObject({
        ttl: ms('lock.ttl').positive('lock.ttl must be > 0 ms').optional(),
        maxWait: ms('lock.maxWait').nonnegative('lock.maxWait must be ≥ 0 ms').optional(),
      }),
    ])
    .optional(),
  bus: z
    .union([
      z.boolean('bus must be true, false or { heartbeat, missedBeats }'),
      z.strictObject({
        heartbeat: ms('bus.heartbeat').nonnegative('bus.heartbeat must be ≥ 0 ms (0: none)').optional(),
        missedBeats: z
          .number('bus.missedBeats must be a whole number ≥ 2')
          .int('bus.missedBeats must be a whole number ≥ 2')
          .min(2, 'bus.missedBeats must be ≥ 2 (one beat is always in flight)')
          .optional(),
      }),
    ])
    .optional(),
  circuitBreaker: z
    .union([
      z.literal(false),
      z.strictObject({
        threshold: z.number().int().positive('circuitBreaker.threshold must be a positive integer').optional(),
        window: ms('circuitBreaker.window').positive().optional(),
        cooldown: ms('circuitBreaker.cooldown').positive().optional(),
      }),
    ])
    .optional(),
  failSafe: z
    .union([
      z.literal(false),
      z.strictObject({
        maxStale: ms('failSafe.maxStale').nonnegative('failSafe.maxStale must be ≥ 0 ms').optional(),
        retryAfter: ms('failSafe.retryAfter').positive('failSafe.retryAfter must be > 0 ms').optional(),
        maxRetryAfter: ms('failSafe.maxRetryAfter').positive('failSafe.maxRetryAfter must be > 0 ms').optional(),
        when: z
          .custom<object>((v) => typeof v === 'function', 'failSafe.when must be a function of the error')
          .optional(),
      }),
    ])
    .optional(),
  compressAbove: z.union([z.literal(false), bytes('compressAbove')]).optional(),
  maxValueBytes: bytes('maxValueBytes').optional(),
  fillWindow: ms('fillWindow').positive('fillWindow must be > 0 ms').optional(),
  serializer: z
    .custom<object>(
      (v) => typeof (v as { serialize?: unknown })?.serialize === 'function',
      'serializer must have serialize(value) and deserialize(bytes) methods',
    )
    .optional(),
  keyGroup: z.custom<object>((v) => typeof v === 'function', 'keyGroup must be a function').optional(),
  http: z
    .strictObject({
      userId: z
        .custom<object>((v) => typeof v === 'function', 'http.userId must be a function of the request')
        .optional(),
      tenantId: z
        .custom<object>((v) => typeof v === 'function', 'http.tenantId must be a function of the request')
        .optional(),
      sessionCookies: z.array(z.string().min(1), 'http.sessionCookies must be a list of cookie names').optional(),
      maxBodyBytes: bytes('http.maxBodyBytes').optional(),
      namespace: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, 'http.namespace must be 1–64 letters, digits, "_" or "-"')
        .optional(),
    })
    .optional(),
});

/** Validates options at boot; the error lists every wrong option and how to fix it. */
export function validateCacheOptions(options: CacheModuleOptions): void {
  const result = schema.safeParse(options);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const path = issue.path.join('.') || '(options)';
      return `  - ${path}: ${issue.message}`;
    });
    throw new CacheConfigError(`Invalid CacheModule options:\n${lines.join('\n')}`);
  }
  if (options.redis === undefined) {
    throw new CacheConfigError(
      'Invalid CacheModule options:\n  - redis: missing. Set redis: { url: "redis://localhost:6379/0" } ' +
        '(or { sentinel }, { cluster }, { client }) for the shared tier, or redis: false for an in-process cache only.',
    );
  }
  if (options.redis === false && options.l1 === false) {
    throw new CacheConfigError(
      'Invalid CacheModule options:\n  - l1, redis: both are false, so nothing would be cached. Enable at least one tier.',
    );
  }
}
