import { z } from 'zod';
import { redisOptionsFromEnv, type RedisTopology } from 'nestjs-layered-cache';
import { securityIssues, securitySettings } from './security-config.js';

const url = (what: string, schemes: string[]) =>
  z
    .string()
    .refine(
      (v) => schemes.some((s) => v.startsWith(`${s}://`)),
      `${what} must start with ${schemes.map((s) => `${s}://`).join(' or ')}`,
    )
    .optional();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: url('DATABASE_URL', ['postgres', 'postgresql']),
  REDIS_URL: url('REDIS_URL', ['redis', 'rediss']),
  /** Redis Sentinel (`host:port,…` plus the master's name) or Cluster seed nodes, instead of REDIS_URL. */
  REDIS_SENTINELS: z.string().optional(),
  REDIS_SENTINEL_NAME: z.string().optional(),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  REDIS_CLUSTER_NODES: z.string().optional(),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_DB: z.string().optional(),
  REDIS_TLS: z.enum(['true', 'false']).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  CACHE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'CACHE_PREFIX must be 1–64 letters, digits or "_ . : -"')
    .default('erp'),
  CACHE_L1_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  CACHE_L1_MAX_ENTRIES: z.coerce.number().int().positive().default(50_000),
  /** Invalidation from Postgres logical replication (every committed write, any writer); `false`: TypeORM's only. */
  CACHE_CDC: z.enum(['true', 'false']).default('true'),
  /** How long expired cache entries may stand in for a failing database (fail-safe), ms; 0: off. */
  CACHE_FAIL_SAFE: z.coerce.number().int().min(0).default(3_600_000),
  SEED_PRODUCTS: z.coerce.number().int().min(0).max(1_000_000).default(5000),
  SEED_DOCUMENTS: z.coerce.number().int().min(0).max(100).default(3),
  DOCUMENTS_DIR: z.string().min(1).optional(),
  /** Bearer token of the admin routes; required (≥ 32 characters) in production, generated in development. */
  CACHE_ADMIN_TOKEN: z.string().min(32, 'CACHE_ADMIN_TOKEN must be at least 32 characters').optional(),
  /** Signs session cookies; comma-separated to rotate (the first signs, all verify). Required in production. */
  SESSION_SECRET: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()))
    .refine((list) => list.every((s) => s.length >= 32), 'SESSION_SECRET: every secret must be at least 32 characters')
    .optional(),
  /** Login attempts per minute allowed from one IP address, and for one account. */
  LOGIN_LIMIT_PER_IP: z.coerce.number().int().positive().default(20),
  LOGIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  /** How often the dashboard's history is sampled, ms. */
  CACHE_ADMIN_HISTORY_INTERVAL: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  /** How often refresh-ahead reloads hot keys about to expire, ms. */
  CACHE_REFRESH_AHEAD_INTERVAL: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** How often write-behind flushes pending writes to the database, ms. */
  WRITE_BEHIND_FLUSH_INTERVAL: z.coerce.number().int().min(10).max(600_000).default(1000),
  /**
   * Postgres timeouts, ms (0: none). A database that stalls (connection open, no answers) must cost a
   * request a bounded time, then a 503; without these a request waits for the kernel's TCP timeout.
   * Statement: the server cancels a statement running longer. Query: the client gives up waiting for
   * an answer (the stalled-server case: the server cannot cancel what it never sees), so it is set a
   * little above the statement timeout, letting a live server's own error win. Connect: opening a
   * connection and waiting for a free one in the pool (pg-pool uses one timeout for both).
   * Idle in transaction: the server ends a session that holds a transaction open without using it.
   */
  DATABASE_STATEMENT_TIMEOUT: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  DATABASE_QUERY_TIMEOUT: z.coerce.number().int().min(0).max(3_600_000).default(6000),
  DATABASE_CONNECT_TIMEOUT: z.coerce.number().int().min(0).max(600_000).default(3000),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  /** Connections in each instance's pool. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DOCUMENTS_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  ...securitySettings,
});

export type AppConfig = z.infer<typeof schema>;

/** Every variable the app reads through this schema (the docs check lists them: app-config.docs.spec.ts). */
export const APP_CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

const productionRules = schema
  .refine((c) => c.NODE_ENV !== 'production' || c.CACHE_ADMIN_TOKEN !== undefined, {
    message: 'CACHE_ADMIN_TOKEN is required in production (at least 32 random characters)',
    path: ['CACHE_ADMIN_TOKEN'],
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.SESSION_SECRET !== undefined, {
    message: 'SESSION_SECRET is required in production (at least 32 random characters; comma-separate to rotate)',
    path: ['SESSION_SECRET'],
  })
  .superRefine((c, ctx) => {
    for (const { path, message } of securityIssues(c)) ctx.addIssue({ code: 'custom', path: [path], message });
  });

/** Reads and validates the environment once at boot; a bad value stops the app with its name. */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = productionRules.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration (see .env.example):\n${lines.join('\n')}`);
  }
  try {
    redisOptionsFromEnv(result.data); // the Redis variables are checked together, at boot
  } catch (error) {
    throw new Error(`Invalid configuration (see .env.example):\n  - ${(error as Error).message}`, { cause: error });
  }
  return result.data;
}

/** Runtime connection settings, after embedded servers (if any) were started. */
export interface AppRuntime {
  config: AppConfig;
  databaseUrl: string;
  /** One server, Sentinel or Cluster (from REDIS_URL / REDIS_SENTINELS / REDIS_CLUSTER_NODES, or embedded). */
  redis: RedisTopology;
  /** CACHE_ADMIN_TOKEN, or one generated for this run outside production. */
  adminToken: string;
}
