import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { inject } from 'vitest';
import { CacheModule, type RedisModuleOptions } from '../../../src/index.js';
import { CacheAdminModule } from '../../../src/admin/index.js';
import { CacheMetricsModule } from '../../../src/metrics/index.js';
import {
  CacheWriteBehindModule,
  WriteBehindService,
  type WriteBehindOptions,
} from '../../../src/write-behind/index.js';
import { WbRow } from '../../fixtures/wb-row.entity.js';

export const TOKEN = 'write-behind-test-token-0123456789';

export interface WbApp {
  app: INestApplication;
  wb: WriteBehindService;
  db: DataSource;
}

/** An app with the cache, TypeORM on `databaseUrl` and write-behind for WbRow; flushes only when asked. */
export async function bootWriteBehindApp(
  prefix: string,
  options: Partial<WriteBehindOptions> = {},
  databaseUrl = inject('databaseUrl'),
  redis: RedisModuleOptions = { url: inject('redisUrl') },
): Promise<WbApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      CacheModule.forRoot({ isGlobal: true, prefix, redis }),
      TypeOrmModule.forRoot({ type: 'postgres', url: databaseUrl, entities: [WbRow] }),
      CacheAdminModule.forRoot({ token: TOKEN }),
      // Write-behind's metrics live in the metrics module, fed by its events.
      CacheMetricsModule.forRoot({ defaultMetrics: false }),
      CacheWriteBehindModule.forRoot({
        entities: [{ target: WbRow, name: 'row' }],
        flushInterval: 3_600_000,
        batchSize: 50,
        lease: 500,
        maxAttempts: 2,
        ...options,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication();
  app.useLogger(false);
  await app.init();
  return { app, wb: app.get(WriteBehindService), db: app.get<DataSource>(getDataSourceToken()) };
}

/** Fresh rows with ids from `from`, `count` of them, views 0. */
export async function seedRows(db: DataSource, from: number, count: number): Promise<void> {
  await db.query(
    `INSERT INTO test_wb_rows (id, name, views) SELECT g, 'row ' || g, 0 FROM generate_series($1::int, $2::int) g
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, views = 0, seen_at = NULL`,
    [from, from + count - 1],
  );
}

export async function rowsOf(db: DataSource, from: number, count: number): Promise<WbRow[]> {
  return db
    .getRepository(WbRow)
    .find({ where: {}, order: { id: 'ASC' } })
    .then((rows) => rows.filter((r) => r.id >= from && r.id < from + count));
}
