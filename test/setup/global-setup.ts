import { startTestServices } from '@internal/dev-services';
import { DataSource } from 'typeorm';
import type { TestProject } from 'vitest/node';
import { dataSourceOptions } from '../../src/database/data-source.options.js';
import { seedDemoData, seedInventory } from '../../src/database/seed.js';
import { seedUsers } from '../../src/modules/auth/users.seed.js';
import { E2E_SEED_PRODUCTS } from '../helpers/e2e.constants.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    databaseUrl: string;
    /** Unique per run, so tests sharing a TEST_REDIS_URL server never see each other's keys. */
    runId: string;
  }
}

/**
 * The sample app's tests: a private Redis and Postgres for the whole run (or TEST_REDIS_URL and a
 * fresh database on TEST_DATABASE_URL's server), with the app's schema and demo rows.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await startTestServices('app');
  try {
    await migrateAndSeed(services.databaseUrl);
  } catch (error) {
    await services.stop();
    throw error;
  }
  project.provide('redisUrl', services.redisUrl);
  project.provide('databaseUrl', services.databaseUrl);
  project.provide('runId', services.runId);
  return services.stop;
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
