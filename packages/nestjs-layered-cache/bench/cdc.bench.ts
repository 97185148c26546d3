/**
 * CDC benchmark: how long a raw-SQL commit takes to evict the entry from another instance's L1
 * (p50/p99 over BENCH_CDC_WRITES per round, default 1 000), and how many row changes per second the
 * consumer applies from a backlog of BENCH_CDC_BACKLOG, as single-row transactions and as one large
 * transaction; BENCH_ROUNDS interleaved rounds (bench/harness). `npm run bench:cdc`; writes
 * bench/results/cdc.{md,json}.
 */
import 'reflect-metadata';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { startEmbeddedPostgres, startEmbeddedRedis } from '@internal/dev-services';
import { CacheModule, CacheService, entityTags } from '../src/index.js';
import { CdcInvalidationModule, CdcInvalidationService } from '../src/cdc/index.js';
import { captureEnvironment } from './harness/environment.js';
import { writeResult } from './harness/report.js';
import { benchRounds, envNumber, runRounds, toRows } from './harness/rounds.js';

/** Raw-SQL writes per propagation round. */
const WRITES = envNumber('BENCH_CDC_WRITES', 1000);
/** Rows of each backlog (single-row transactions, and one UPDATE of as many rows). */
const BACKLOG = envNumber('BENCH_CDC_BACKLOG', 20_000);
const ROUNDS = benchRounds();
const SLOT = 'nlc_cdc_bench';

@Entity({ name: 'bench_items' })
class BenchItem {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer' })
  v: number;
}

interface Instance {
  cache: CacheService;
  cdc: CdcInvalidationService;
  app: INestApplicationContext;
}

async function instance(databaseUrl: string, redisUrl: string): Promise<Instance> {
  const app = await NestFactory.createApplicationContext(
    {
      module: class BenchCdcApp {},
      imports: [
        TypeOrmModule.forRoot({ type: 'postgres', url: databaseUrl, entities: [BenchItem] }),
        CacheModule.forRoot({ isGlobal: true, prefix: `bench-cdc-${process.pid}`, redis: { url: redisUrl } }),
        CdcInvalidationModule.forRoot({ slot: SLOT, leaderPollMs: 100 }),
      ],
    },
    { logger: ['error', 'warn'] },
  );
  return { app, cache: app.get(CacheService), cdc: app.get(CdcInvalidationService) };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const percentiles = (sorted: number[]) => ({
  p99: percentile(sorted, 0.99),
  p50: percentile(sorted, 0.5),
  p90: percentile(sorted, 0.9),
  max: sorted.at(-1)!,
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('benchmark condition not reached in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Commit (UPDATE sent) → the bus message that evicts the entry arrives at the follower. */
async function propagation(sql: pg.Client, follower: Instance): Promise<number[]> {
  const latencies: number[] = [];
  let waiting: ((at: number) => void) | undefined;
  const off = follower.cache.on('bus', () => waiting?.(performance.now()));
  for (let i = 0; i < WRITES; i++) {
    const id = (i % 100) + 1;
    await follower.cache.set(`item:${id}`, i, { tags: entityTags.row('benchItem', id) });
    const arrived = new Promise<number>((resolve) => (waiting = resolve));
    const start = performance.now();
    await sql.query('UPDATE bench_items SET v = v + 1 WHERE id = $1', [id]);
    latencies.push((await arrived) - start);
    waiting = undefined;
  }
  off();
  return latencies.sort((x, y) => x - y);
}

/** Changes written while no consumer runs, then the time one instance takes to apply them all. */
async function drain(
  sql: pg.Client,
  urls: { db: string; redis: string },
  write: () => Promise<void>,
): Promise<{ seconds: number; changes: number; transactions: number }> {
  await write();
  const started = performance.now();
  const consumer = await instance(urls.db, urls.redis);
  const { rows } = await sql.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  await until(async () => {
    const r = await sql.query<{ done: boolean }>(
      'SELECT confirmed_flush_lsn >= $2::pg_lsn AS done FROM pg_replication_slots WHERE slot_name = $1',
      [SLOT, rows[0]!.lsn],
    );
    return r.rows[0]?.done === true && consumer.cdc.status().changes > 0;
  });
  const seconds = (performance.now() - started) / 1000;
  const { changes, transactions } = consumer.cdc.status();
  await consumer.app.close();
  return { seconds, changes, transactions };
}

async function main(): Promise<void> {
  const finish = captureEnvironment();
  const redis = process.env.BENCH_REDIS_URL ? undefined : await startEmbeddedRedis();
  const server = process.env.BENCH_DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: join(tmpdir(), `bench-cdc-${process.pid}`), persistent: false });
  const urls = { db: process.env.BENCH_DATABASE_URL ?? server!.url, redis: process.env.BENCH_REDIS_URL ?? redis!.url };
  const sql = new pg.Client({ connectionString: urls.db });
  await sql.connect();
  try {
    await sql.query('DROP TABLE IF EXISTS bench_items');
    await sql.query('CREATE TABLE bench_items (id integer PRIMARY KEY, v integer NOT NULL)');
    await sql.query('ALTER TABLE bench_items REPLICA IDENTITY FULL');
    await sql.query(`INSERT INTO bench_items SELECT g, 0 FROM generate_series(1, ${BACKLOG}) g`);
    const leader = await instance(urls.db, urls.redis);
    await until(() => leader.cdc.status().state === 'leader');
    await until(
      async () =>
        (await sql.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = '${SLOT}' AND active`)).rowCount === 1,
    );
    const follower = await instance(urls.db, urls.redis);
    const propagationRuns = await runRounds(
      [{ name: 'raw-SQL UPDATE → other instance', run: async () => percentiles(await propagation(sql, follower)) }],
      ROUNDS,
    );
    await Promise.all([leader.app.close(), follower.app.close()]);

    const rate = (r: { seconds: number; changes: number; transactions: number }) => ({
      changesPerSecond: r.changes / r.seconds,
      transactionsPerSecond: r.transactions / r.seconds,
      seconds: r.seconds,
      changes: r.changes,
      transactions: r.transactions,
    });
    const drainRuns = await runRounds(
      [
        {
          name: `${BACKLOG} single-row transactions`,
          run: async () =>
            rate(
              await drain(sql, urls, async () => {
                // Writing the backlog is set-up, not measured: no flush per commit (5 ms each on a busy
                // disk), except the last, whose flush covers all before it, so the drain starts with
                // the whole backlog in the WAL the consumer reads.
                await sql.query('SET synchronous_commit = off');
                for (let i = 0; i < BACKLOG - 1; i += 1000)
                  await sql.query(
                    `DO $$ BEGIN FOR i IN ${i + 1}..${Math.min(BACKLOG - 1, i + 1000)} LOOP UPDATE bench_items SET v = v + 1 WHERE id = i; COMMIT; END LOOP; END $$`,
                  );
                await sql.query('RESET synchronous_commit');
                await sql.query('UPDATE bench_items SET v = v + 1 WHERE id = $1', [BACKLOG]);
              }),
            ),
        },
        {
          name: `one UPDATE of ${BACKLOG} rows`,
          run: async () =>
            rate(await drain(sql, urls, () => sql.query('UPDATE bench_items SET v = v + 1').then(() => {}))),
        },
      ],
      ROUNDS,
    );
    const ms = (key: string) => ({ key, label: `${key} ms`, decimals: 2 });
    writeResult({
      schema: 1,
      name: 'cdc',
      title: 'CDC benchmark',
      description: [
        'Embedded Postgres and Redis on one host, two instances in one process.',
        `Commit → the other instance's L1 evicted: from the UPDATE sent on a separate connection to the bus message applied on the follower, ${WRITES} raw-SQL single-row writes per round. Target p99 < 50 ms.`,
        'Consumer throughput: a backlog written while no instance ran, then the time one instance takes to apply it (its boot included); the two backlogs run interleaved.',
      ],
      environment: finish(),
      rounds: ROUNDS,
      tables: [
        {
          kind: 'measured',
          caption: 'Invalidation propagation through change data capture:',
          caseLabel: 'path',
          metrics: [ms('p99'), ms('p50'), ms('p90'), ms('max')],
          rows: toRows(propagationRuns),
        },
        {
          kind: 'measured',
          caption: 'Draining a backlog:',
          caseLabel: 'backlog',
          metrics: [
            { key: 'changesPerSecond', label: 'row changes/s' },
            { key: 'transactionsPerSecond', label: 'transactions/s' },
            { key: 'seconds', label: 'seconds', decimals: 2 },
            { key: 'changes', label: 'row changes' },
            { key: 'transactions', label: 'transactions' },
          ],
          rows: toRows(drainRuns),
        },
      ],
      notes: [],
    });
  } finally {
    await sql
      .query(
        `SELECT pg_drop_replication_slot('${SLOT}') FROM pg_replication_slots WHERE slot_name = '${SLOT}' AND NOT active`,
      )
      .catch(() => undefined);
    await sql.query(`DROP PUBLICATION IF EXISTS ${SLOT}`).catch(() => undefined);
    await sql.end();
    await server?.stop();
    await redis?.stop();
  }
}

await main();
