/**
 * CDC benchmark: how long a raw-SQL commit takes to evict the entry from another instance's L1
 * (p50/p99 over BENCH_CDC_WRITES, default 2 000), and how many row changes per second the consumer
 * applies from a backlog, as single-row transactions and as one large transaction.
 * `npm run bench:cdc`; writes bench/results/cdc.md.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
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

const WRITES = Number(process.env.BENCH_CDC_WRITES ?? 2000);
const BACKLOG = Number(process.env.BENCH_CDC_BACKLOG ?? 20_000);
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
    const latencies = await propagation(sql, follower);
    await Promise.all([leader.app.close(), follower.app.close()]);

    const single = await drain(sql, urls, async () => {
      for (let i = 0; i < BACKLOG; i += 1000)
        await sql.query(
          `DO $$ BEGIN FOR i IN ${i + 1}..${i + 1000} LOOP UPDATE bench_items SET v = v + 1 WHERE id = i; COMMIT; END LOOP; END $$`,
        );
    });
    const bulk = await drain(sql, urls, async () => {
      await sql.query('UPDATE bench_items SET v = v + 1');
    });

    const ms = (v: number) => `${v.toFixed(2)} ms`;
    const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en')}/s`;
    const markdown = [
      '# CDC benchmark',
      '',
      `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, embedded Postgres and Redis on one host, two instances in one process.`,
      '',
      `Commit → other instance's L1 evicted (UPDATE sent on a separate connection to the bus message applied on the follower), ${latencies.length} raw-SQL single-row writes:`,
      '',
      '| p50 | p90 | p99 | max | target p99 |',
      '|---:|---:|---:|---:|---:|',
      `| ${ms(percentile(latencies, 0.5))} | ${ms(percentile(latencies, 0.9))} | ${ms(percentile(latencies, 0.99))} | ${ms(latencies.at(-1)!)} | < 50 ms |`,
      '',
      'Consumer throughput, draining a backlog written while no instance ran (boot of the instance included):',
      '',
      '| backlog | transactions | row changes | seconds | changes/s | transactions/s |',
      '|---|---:|---:|---:|---:|---:|',
      `| ${BACKLOG} single-row transactions | ${single.transactions} | ${single.changes} | ${single.seconds.toFixed(2)} | ${rate(single.changes, single.seconds)} | ${rate(single.transactions, single.seconds)} |`,
      `| one UPDATE of ${BACKLOG} rows | ${bulk.transactions} | ${bulk.changes} | ${bulk.seconds.toFixed(2)} | ${rate(bulk.changes, bulk.seconds)} | — |`,
      '',
    ].join('\n');
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/cdc.md', markdown);
    console.log(markdown);
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
