/**
 * Slow Redis: latency of cached reads (getOrSet of keys held in Redis, L1 off so every read asks
 * Redis) while a TCP proxy delays Redis's replies, with and without the soft timeout. The target:
 * p99 bounded by the soft timeout, not by Redis. Four cases (no delay / 200 ms × soft timeout off /
 * 50 ms) in BENCH_ROUNDS interleaved rounds (bench/harness). `npm run bench`; writes
 * bench/results/slow-redis.{md,json}.
 */
import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { NestFactory } from '@nestjs/core';
import { CacheModule, CacheService, type CacheModuleOptions } from '../src/index.js';
import { startEmbeddedRedis } from '@internal/dev-services';
import { startLatencyProxy } from '@internal/dev-services';
import { captureEnvironment } from './harness/environment.js';
import { writeResult, type MeasuredTable } from './harness/report.js';
import { benchRounds, envNumber, runRounds, toRows } from './harness/rounds.js';

const KEYS = 200;
/** Reads per case and round. */
const READS = envNumber('BENCH_SLOW_READS', 600);
const ROUNDS = benchRounds();
const DELAY = 200;
const CONCURRENCY = 20;
/** What the loader costs (a fast primary-key query). */
const LOADER_MS = 2;
const SOFT_TIMEOUT = 50;

async function instance(options: CacheModuleOptions) {
  const app = await NestFactory.createApplicationContext(CacheModule.forRoot(options), { logger: false });
  return { cache: app.get(CacheService), close: () => app.close() };
}

const softLabel = (soft: number) => (soft === 0 ? 'off (wait for Redis)' : `${soft} ms`);
const caseName = (delay: number, soft: number) => `${delay} ms delay: ${softLabel(soft)}`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** Per-read latency (ms, sorted) of READS getOrSet calls, CONCURRENCY at a time. */
async function measure(url: string, prefix: string, softTimeout: number): Promise<{ ms: number[]; loads: number }> {
  const reader = await instance({ prefix, l1: false, redis: { url, softTimeout, commandTimeout: 5000 } });
  let loads = 0;
  const loader = async () => {
    loads++;
    await sleep(LOADER_MS);
    return 'from the database';
  };
  const ms: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < READS) {
        const key = `k${next++ % KEYS}`;
        const started = performance.now();
        await reader.cache.getOrSet(key, loader);
        ms.push(performance.now() - started);
      }
    }),
  );
  await reader.close();
  return { ms: ms.sort((a, b) => a - b), loads };
}

async function main(): Promise<void> {
  const finish = captureEnvironment();
  const server = process.env.BENCH_REDIS_URL ? undefined : await startEmbeddedRedis();
  const url = process.env.BENCH_REDIS_URL ?? server!.url;
  const proxy = await startLatencyProxy(url);
  const prefix = `bench-slow-${process.pid}`;
  const writer = await instance({ prefix, l1: false, redis: { url } });
  for (let i = 0; i < KEYS; i++) await writer.cache.set(`k${i}`, { id: i, name: `product ${i}` }, { ttl: 600_000 });

  const cases = [0, DELAY].flatMap((delay) =>
    [0, SOFT_TIMEOUT].map((soft) => ({
      name: caseName(delay, soft),
      run: async () => {
        proxy.delay(delay);
        const { ms, loads } = await measure(proxy.url, prefix, soft);
        return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), max: ms.at(-1)!, loads };
      },
    })),
  );
  const rows = toRows(await runRounds(cases, ROUNDS));
  await writer.close();
  await proxy.close();
  await server?.stop();
  const table = (delay: number, caption: string): MeasuredTable => ({
    kind: 'measured',
    caption,
    caseLabel: 'soft timeout',
    metrics: [
      { key: 'p99', label: 'p99 ms', decimals: 1 },
      { key: 'p50', label: 'p50 ms', decimals: 1 },
      { key: 'max', label: 'max ms', decimals: 1 },
      { key: 'loads', label: 'loader calls' },
    ],
    baselines: [softLabel(0)],
    rows: rows
      .filter((r) => r.name.startsWith(`${delay} ms`))
      .map((r) => ({ ...r, name: r.name.slice(r.name.indexOf(': ') + 2) })),
  });
  writeResult({
    schema: 1,
    name: 'slow-redis',
    title: 'Slow Redis benchmark',
    description: [
      `${READS} getOrSet reads of ${KEYS} keys held in Redis (L1 off), ${CONCURRENCY} at a time, per run, through a TCP proxy delaying every reply; the loader takes ${LOADER_MS} ms. ` +
        'All four cases run interleaved in each round.',
    ],
    environment: finish(),
    rounds: ROUNDS,
    tables: [
      table(0, 'Redis fast (no delay): what the soft timer costs.'),
      table(DELAY, `Redis slow (every reply delayed ${DELAY} ms):`),
    ],
    notes: [
      `Target: with Redis slow, p99 ≤ soft timeout + loader time (${SOFT_TIMEOUT + LOADER_MS} ms plus scheduling), not the Redis delay.`,
    ],
  });
}

await main();
