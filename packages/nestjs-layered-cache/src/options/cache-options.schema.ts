import { z } from 'zod';
import type { CacheModuleOptions } from '../cache-options.interface.js';
import { durationProblem } from '../core/duration.js';
import { CacheConfigError } from '../errors/cache-config.error.js';

/**
 * A duration option: whole ms, checked by the library's one duration rule (core/duration.ts) with
 * at least `min`; `hint` says what the boundary value means. Tagged `unit: 'ms'` for the docs check.
 */
const ms = (what: string, min: 0 | 1, hint = '') =>
  z
    .number({ error: `${what} must be a number of milliseconds` })
    .int(`${what} must be whole milliseconds`)
    .superRefine((value, ctx) => {
      const problem = durationProblem(value, min);
      if (problem) ctx.addIssue({ code: 'custom', message: `${what} ${problem}${hint}` });
    })
    .meta({ unit: 'ms' });
const bytes = (what: string) =>
  z
    .number({ error: `${what} must be a number of bytes` })
    .int(`${what} must be whole bytes`)
    .positive(`${what} must be > 0 bytes`)
    .meta({ unit: 'bytes' });
const count = (what: string, unit: string, min = 1, hint = '') =>
  z
    .number({ error: `${what} must be a whole number ≥ ${min}` })
    .int(`${what} must be a whole number ≥ ${min}`)
    .min(min, `${what} must be ≥ ${min}${hint}`)
    .meta({ unit });
const fn = (what: string, of = '') =>
  z.custom<object>((v) => typeof v === 'function', `${what} must be a function${of}`);

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

/** The shape of `CacheModuleOptions`; exported for the docs check, which walks its option paths. */
export const cacheOptionsSchema = z.strictObject({
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'prefix must be 1–64 letters, digits or "_ . : -", e.g. "myapp"')
    .optional(),
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'namespace must be 1–64 letters, digits, "_" or "-"')
    .optional(),
  ttl: ms('ttl', 1, ' (there are no eternal entries)').optional(),
  grace: ms('grace', 0).optional(),
  loaderTimeout: ms('loaderTimeout', 0, ' (0: never)').optional(),
  l1: z
    .union([
      z.literal(false),
      z.strictObject({
        maxEntries: count('l1.maxEntries', 'entries').optional(),
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
          softTimeout: ms('redis.softTimeout', 0, ' (0: none)').optional(),
          commandTimeout: ms('redis.commandTimeout', 1).optional(),
          connectTimeout: ms('redis.connectTimeout', 1).optional(),
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
        ttl: ms('lock.ttl', 1).optional(),
        maxWait: ms('lock.maxWait', 0).optional(),
      }),
    ])
    .optional(),
  bus: z
    .union([
      z.boolean('bus must be true, false or { heartbeat, missedBeats }'),
      z.strictObject({
        heartbeat: ms('bus.heartbeat', 0, ' (0: none)').optional(),
        missedBeats: count('bus.missedBeats', 'beats', 2, ' (one beat is always in flight)').optional(),
      }),
    ])
    .optional(),
  circuitBreaker: z
    .union([
      z.literal(false),
      z.strictObject({
        threshold: count('circuitBreaker.threshold', 'errors').optional(),
        window: ms('circuitBreaker.window', 1).optional(),
        cooldown: ms('circuitBreaker.cooldown', 1).optional(),
      }),
    ])
    .optional(),
  failSafe: z
    .union([
      z.literal(false),
      z.strictObject({
        maxStale: ms('failSafe.maxStale', 0).optional(),
        retryAfter: ms('failSafe.retryAfter', 1).optional(),
        maxRetryAfter: ms('failSafe.maxRetryAfter', 1).optional(),
        when: fn('failSafe.when', ' of the error').optional(),
      }),
    ])
    .optional(),
  compressAbove: z.union([z.literal(false), bytes('compressAbove')]).optional(),
  maxValueBytes: bytes('maxValueBytes').optional(),
  fillWindow: ms('fillWindow', 1).optional(),
  serializer: z
    .custom<object>(
      (v) => typeof (v as { serialize?: unknown })?.serialize === 'function',
      'serializer must have serialize(value) and deserialize(bytes) methods',
    )
    .optional(),
  keyGroup: fn('keyGroup').optional(),
  http: z
    .strictObject({
      userId: fn('http.userId', ' of the request').optional(),
      tenantId: fn('http.tenantId', ' of the request').optional(),
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
  const result = cacheOptionsSchema.safeParse(options);
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
