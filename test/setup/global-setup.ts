import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { TestProject } from 'vitest/node';
import { dataSourceOptions } from '../../src/database/data-source.options.js';
import { seedDemoData, seedInventory } from '../../src/database/seed.js';
import { seedUsers } from '../../src/modules/auth/users.seed.js';
import { E2E_SEED_PRODUCTS } from '../helpers/e2e.constants.js';
import { startEmbeddedRedis } from '../../src/embedded/index.js';
import { startHarnessPostgres } from './harness-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    databaseUrl: string;
    /** Unique per run, so tests sharing a TEST_REDIS_URL server never see each other's keys. */
    runId: string;
  }
}

/**
 * Starts a private Redis and Postgres for the whole run (or uses TEST_REDIS_URL and a fresh
 * database on TEST_DATABASE_URL's server) and tears them down afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `t${randomBytes(4).toString('hex')}`;
  const teardown: (() => Promise<void>)[] = [];

  let redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) {
    const redis = await startEmbeddedRedis();
    redisUrl = redis.url;
    teardown.push(redis.stop);
  }

  let databaseUrl: string;
  const dbName = `cache_test_${runId}`;
  if (process.env.TEST_DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(process.env.TEST_DATABASE_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    teardown.push(async () => {
      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await client.end();
    });
  } else {
    const server = await startHarnessPostgres(runId, dbName);
    databaseUrl = server.databaseUrl;
    teardown.push(server.stop);
  }

  await createTestSchema(databaseUrl);
  await migrateAndSeed(databaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('databaseUrl', databaseUrl);
  project.provide('runId', runId);
  return async () => {
    for (const step of teardown.reverse()) await step();
  };
}

/**
 * The sample app's schema and demo rows, once: e2e files boot the app in parallel, and parallel
 * migrations or seeds on one database would collide. Their boots then find both done.
 */
async function migrateAndSeed(databaseUrl: string): Promise<void> {
  const dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  try {
    await seedDemoData(dataSource, E2E_SEED_PRODUCTS);
    await seedInventory(dataSource);
    await seedUsers(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Tables of test-only entities (test/fixtures), created once so suites can run in parallel. */
async function createTestSchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`
    CREATE TABLE IF NOT EXISTS test_widgets (
      id serial PRIMARY KEY,
      name varchar(100) NOT NULL,
      group_id integer NOT NULL,
      version integer NOT NULL DEFAULT 0
    )`);
  await client.query(`
    CREATE TABLE IF NOT EXISTS test_wb_rows (
      id integer PRIMARY KEY,
      name varchar(100),
      views bigint NOT NULL DEFAULT 0,
      seen_at timestamptz
    )`);
  await client.end();
}
