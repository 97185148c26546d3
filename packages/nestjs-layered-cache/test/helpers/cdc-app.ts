import type { INestApplicationContext, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { inject } from 'vitest';
import { CacheModule, CacheService, type CacheModuleOptions } from '../../src/index.js';
import { CdcInvalidationModule, CdcInvalidationService, type CdcInvalidationOptions } from '../../src/cdc/index.js';
import { CacheInvalidationModule } from '../../src/typeorm/index.js';
import { Gadget } from '../fixtures/gadget.entity.js';
import { Widget } from '../fixtures/widget.entity.js';
import { widgetRule } from './typeorm-app.js';

export interface CdcApp {
  app: INestApplicationContext;
  cache: CacheService;
  cdc: CdcInvalidationService;
  close(): Promise<void>;
}

/** An app instance as a deployment runs it: TypeORM, the cache, the subscriber's rules and CDC. */
export async function createCdcApp(
  slot: string,
  prefix: string,
  redis: CacheModuleOptions['redis'] = { url: inject('redisUrl') },
  cdc: Partial<CdcInvalidationOptions> = {},
  imports: ModuleMetadata['imports'] = [],
): Promise<CdcApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({ type: 'postgres', url: inject('databaseUrl'), entities: [Widget, Gadget] }),
      CacheModule.forRoot({ isGlobal: true, prefix, redis }),
      CacheInvalidationModule.forFeature({ rules: [widgetRule] }),
      CdcInvalidationModule.forRoot({ slot, leaderPollMs: 100, statusIntervalMs: 200, ...cdc }),
      ...imports,
    ],
  }).compile();
  const app = await moduleRef.init();
  return { app, cache: app.get(CacheService), cdc: app.get(CdcInvalidationService), close: () => app.close() };
}

/** A connection of its own, as psql or another service would write. */
export async function sqlClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: inject('databaseUrl'), query_timeout: 10_000 });
  await client.connect();
  return client;
}

/** Whether `slot` is being read: CDC captures only what is committed once its slot exists. */
export async function slotActive(sql: pg.Client, slot: string): Promise<boolean> {
  const { rows } = await sql.query<{ active: boolean }>(
    'SELECT active FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  return rows[0]?.active === true;
}

/** Drops what a test created: an abandoned slot keeps WAL on the server forever. */
export async function dropSlotAndPublication(sql: pg.Client, slot: string): Promise<void> {
  for (let i = 0; i < 100 && (await slotActive(sql, slot)); i++) await new Promise((r) => setTimeout(r, 100));
  await sql.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  await sql.query(`DROP PUBLICATION IF EXISTS "${slot}"`);
}

/** `wal_level` of the test server: only a TEST_DATABASE_URL server may lack logical replication. */
export async function walLevel(): Promise<string> {
  const client = await sqlClient();
  try {
    const { rows } = await client.query<{ wal_level: string }>('SHOW wal_level');
    return rows[0]!.wal_level;
  } finally {
    await client.end();
  }
}
