/**
 * Write-behind vs write-through: 10 000 increments over 100 rows, 50 concurrent callers.
 * Caller-side latency, database statements, time to drain, and a check that nothing was lost or
 * applied twice. `npm run bench:write-behind`; writes bench/results/write-behind.md.
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { Column, Entity, PrimaryColumn, type DataSource, type Logger as OrmLogger } from 'typeorm';
import {
  CacheAdminModule,
  CacheModule,
  CacheWriteBehind1763900000000,
  CacheWriteBehindModule,
  WriteBehindService,
} from '../src/cache/index.js';
import { startEmbeddedPostgres, startEmbeddedRedis } from '../src/embedded/index.js';

const WRITES = 10_000;
const ROWS = 100;
const CALLERS = 50;

@Entity({ name: 'bench_wb_rows' })
class BenchRow {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'bigint', default: 0 }) views!: string;
}

/** Counts every statement TypeORM sends (BEGIN and COMMIT included). */
class CountingLogger implements OrmLogger {
  statements = 0;
  logQuery(): void {
    this.statements++;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function run(mode: 'write-through' | 'write-behind', redisUrl: string, databaseUrl: string) {
  const logger = new CountingLogger();
  @Module({
    imports: [
      CacheModule.forRoot({ isGlobal: true, prefix: `bench-wb-${mode}-${Date.now()}`, redis: { url: redisUrl } }),
      TypeOrmModule.forRoot({ type: 'postgres', url: databaseUrl, entities: [BenchRow], logging: true, logger }),
      CacheAdminModule.forRoot({ token: 'bench-token-0123456789abcdef' }),
      CacheWriteBehindModule.forRoot({
        entities: [{ target: BenchRow, name: 'row' }],
        flushInterval: 200,
        batchSize: 500,
      }),
    ],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  await app.init();
  const db = app.get<DataSource>(getDataSourceToken());
  const wb = app.get(WriteBehindService);
  await db.query(`CREATE TABLE IF NOT EXISTS bench_wb_rows (id integer PRIMARY KEY, views bigint NOT NULL DEFAULT 0)`);
  await db.query(`TRUNCATE bench_wb_rows`);
  await db.query(`INSERT INTO bench_wb_rows SELECT g, 0 FROM generate_series(1, ${ROWS}) g`);
  const startStatements = logger.statements;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < WRITES) {
        const id = (next++ % ROWS) + 1;
        const t = performance.now();
        if (mode === 'write-through') await wb.writeThrough('row', id, {}, { views: 1 });
        else await wb.increment('row', id, 'views', 1);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const written = performance.now();
  if (mode === 'write-behind') {
    while ((await wb.counts()).some((c) => c.pendingRows + c.batches > 0)) await wb.flush();
  }
  const drained = performance.now();
  const [{ total }] = (await db.query('SELECT sum(views)::int AS total FROM bench_wb_rows')) as [{ total: number }];
  const statements = logger.statements - startStatements;
  await app.close();
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    writeSeconds: (written - started) / 1000,
    drainSeconds: (drained - written) / 1000,
    statements,
    total,
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-wb-pg-'));
  const redis = process.env.BENCH_REDIS_URL ? undefined : await startEmbeddedRedis();
  const pg = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir, persistent: false });
  const redisUrl = process.env.BENCH_REDIS_URL ?? redis!.url;
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? pg!.url;
  try {
    // The bookkeeping tables of write-behind, as the app's migration creates them.
    const { DataSource } = await import('typeorm');
    const setup = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
    await new CacheWriteBehind1763900000000().up(setup.createQueryRunner()).catch(() => undefined);
    await setup.destroy();
    const through = await run('write-through', redisUrl, databaseUrl);
    const behind = await run('write-behind', redisUrl, databaseUrl);
    const ms = (x: number) => x.toFixed(2);
    const row = (name: string, r: typeof through) =>
      `| ${name} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.writeSeconds.toFixed(2)} | ${r.drainSeconds.toFixed(2)} | ${r.statements} | ${r.total} |`;
    const markdown = [
      '# Write-behind vs write-through',
      '',
      `${new Date().toISOString()}, Node ${process.version}. ${WRITES} increments over ${ROWS} rows, ${CALLERS} concurrent callers,`,
      'embedded Postgres and Redis on the same machine. Statements counted by a TypeORM logger (BEGIN/COMMIT included).',
      '',
      '| mode | caller p50 ms | caller p99 ms | write phase s | drain s | database statements | sum of counters (expect 10000) |',
      '|---|---:|---:|---:|---:|---:|---:|',
      row('write-through', through),
      row('write-behind', behind),
      '',
      `Database statements: **${(through.statements / Math.max(1, behind.statements)).toFixed(0)}× fewer** with write-behind (target ≥ 20×).`,
      `Lost: ${WRITES - behind.total}, double-applied: ${Math.max(0, behind.total - WRITES)} (write-behind).`,
      '',
    ].join('\n');
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/write-behind.md', markdown);
    console.log(markdown);
  } finally {
    await redis?.stop();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
