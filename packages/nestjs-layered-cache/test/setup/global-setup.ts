import { startTestServices, withClient } from '@internal/dev-services';
import { DataSource } from 'typeorm';
import type { TestProject } from 'vitest/node';
import { CacheWriteBehind1763900000000 } from '../../src/write-behind/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    databaseUrl: string;
    /** Unique per run, so tests sharing a TEST_REDIS_URL server never see each other's keys. */
    runId: string;
  }
}

/**
 * A private Redis and Postgres for the library's whole run (or TEST_REDIS_URL and a fresh database
 * on TEST_DATABASE_URL's server), with the library's own tables (write-behind's ledger, as an app
 * would create them with the migration we ship) and those of the test entities (test/fixtures).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await startTestServices('lib');
  try {
    await withClient(services.databaseUrl, createTestSchema);
    await runLibraryMigrations(services.databaseUrl);
  } catch (error) {
    await services.stop();
    throw error;
  }
  project.provide('redisUrl', services.redisUrl);
  project.provide('databaseUrl', services.databaseUrl);
  project.provide('runId', services.runId);
  return services.stop;
}

/** Created once, so that suites can run in parallel. */
async function createTestSchema(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  await client.query(`
    CREATE TABLE IF NOT EXISTS test_widgets (
      id serial PRIMARY KEY,
      name varchar(100) NOT NULL,
      group_id integer NOT NULL,
      version integer NOT NULL DEFAULT 0
    )`);
  // Change data capture reads the old row of a widget moving group: its rule needs both groups.
  await client.query('ALTER TABLE test_widgets REPLICA IDENTITY FULL');
  await client.query(`
    CREATE TABLE IF NOT EXISTS test_cdc_gadgets (id integer PRIMARY KEY, name varchar(100) NOT NULL)`);
  await client.query(`
    CREATE TABLE IF NOT EXISTS test_wb_rows (
      id integer PRIMARY KEY,
      name varchar(100),
      views bigint NOT NULL DEFAULT 0,
      seen_at timestamptz
    )`);
}

/** The migrations the library ships, run as an application runs them. */
async function runLibraryMigrations(url: string): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', url, migrations: [CacheWriteBehind1763900000000] });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}
