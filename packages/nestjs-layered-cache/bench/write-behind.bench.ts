/**
 * Write-behind vs write-through: BENCH_WB_WRITES (10 000) increments over 100 rows, 50 concurrent
 * callers, in BENCH_ROUNDS interleaved rounds (bench/harness). Caller-side latency, database
 * statements, time to drain, and a check that nothing was lost or applied twice.
 * `npm run bench:write-behind`; writes bench/results/write-behind.{md,json}.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { Column, Entity, PrimaryColumn, type DataSource, type Logger as OrmLogger } from 'typeorm';
import { CacheModule } from '../src/index.js';
import { CacheAdminModule } from '../src/admin/index.js';
import {
  CacheWriteBehind1763900000000,
  CacheWriteBehindModule,
  WriteBehindService,
} from '../src/write-behind/index.js';
import { startEmbeddedPostgres, startEmbeddedRedis } from '@internal/dev-services';
import { captureEnvironment } from './harness/environment.js';
import { writeResult } from './harness/report.js';
import { benchRounds, envNumber, runRounds, spread, toRows } from './harness/rounds.js';

/** Increments per run (BENCH_WB_WRITES). */
const WRITES = envNumber('BENCH_WB_WRITES', 10_000);
const ROUNDS = benchRounds();
const THROUGH = 'write-through';
const BEHIND = 'write-behind';
type Mode = typeof THROUGH | typeof BEHIND;
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

async function run(mode: Mode, redisUrl: string, databaseUrl: string) {
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
  const finish = captureEnvironment();
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
    const measure = (mode: Mode) => () => run(mode, redisUrl, databaseUrl);
    const runs = await runRounds(
      [
        { name: THROUGH, run: measure(THROUGH) },
        { name: BEHIND, run: measure(BEHIND) },
      ],
      ROUNDS,
    );
    const rows = toRows(runs);
    const median = (mode: Mode, key: string) => spread(rows.find((r) => r.name === mode)!.values[key]!).median;
    const totals = runs.get(BEHIND)!.map((r) => r.total);
    writeResult({
      schema: 1,
      name: 'write-behind',
      title: 'Write-behind vs write-through',
      description: [
        `${WRITES} increments over ${ROWS} rows per run, ${CALLERS} concurrent callers, embedded Postgres and Redis on the same machine. ` +
          'Statements counted by a TypeORM logger (BEGIN/COMMIT included).',
      ],
      environment: finish(),
      rounds: ROUNDS,
      tables: [
        {
          kind: 'measured',
          caption: '',
          caseLabel: 'mode',
          metrics: [
            { key: 'statements', label: 'database statements' },
            { key: 'p50', label: 'caller p50 ms', decimals: 2 },
            { key: 'p99', label: 'caller p99 ms', decimals: 2 },
            { key: 'writeSeconds', label: 'write phase s', decimals: 2 },
            { key: 'drainSeconds', label: 'drain s', decimals: 2 },
            { key: 'total', label: `sum of counters (expect ${WRITES})` },
          ],
          baselines: [THROUGH],
          rows,
        },
      ],
      notes: [
        `Database statements: **${(median(THROUGH, 'statements') / Math.max(1, median(BEHIND, 'statements'))).toFixed(0)}× fewer** with write-behind (medians; target ≥ 20×).`,
        `Write-behind, over ${totals.length} runs: lost ${Math.max(0, ...totals.map((t) => WRITES - t))}, double-applied ${Math.max(0, ...totals.map((t) => t - WRITES))} (the worst run).`,
      ],
    });
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
