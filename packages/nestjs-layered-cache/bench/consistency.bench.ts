/**
 * Consistency benchmark: how fast an invalidation reaches the other instance's L1 (p50/p99), and
 * how many loader calls a cold key costs under concurrency across two instances, with and without
 * the distributed lock, in BENCH_ROUNDS interleaved rounds (bench/harness). `npm run bench`; writes
 * bench/results/consistency.{md,json}.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CacheModule, CacheService, type CacheModuleOptions } from '../src/index.js';
import { startEmbeddedRedis } from '@internal/dev-services';
import { captureEnvironment } from './harness/environment.js';
import { writeResult } from './harness/report.js';
import { benchRounds, envNumber, runRounds, toRows } from './harness/rounds.js';

/** Invalidations per round. */
const INVALIDATIONS = envNumber('BENCH_INVALIDATIONS', 1000);
const STAMPEDE_CALLS = 1000;
const ROUNDS = benchRounds();
const LOCK_ON = 'on (default)';
const LOCK_OFF = 'off (in-process single-flight only)';

async function instance(options: CacheModuleOptions): Promise<[CacheService, INestApplicationContext]> {
  const app = await NestFactory.createApplicationContext(CacheModule.forRoot(options), { logger: false });
  return [app.get(CacheService), app];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const percentiles = (sorted: number[]) => ({
  p50: percentile(sorted, 0.5),
  p90: percentile(sorted, 0.9),
  p99: percentile(sorted, 0.99),
  max: sorted.at(-1)!,
});

async function propagation(url: string): Promise<number[]> {
  const prefix = `bench-prop-${process.pid}`;
  const [a, appA] = await instance({ prefix, redis: { url } });
  const [b, appB] = await instance({ prefix, redis: { url } });
  const latencies: number[] = [];
  let waiting: ((at: number) => void) | undefined;
  b.on('bus', () => waiting?.(performance.now()));
  for (let i = 0; i < INVALIDATIONS; i++) {
    await b.set(`k${i % 100}`, i, { tags: [`t${i % 100}`] });
    const arrived = new Promise<number>((resolve) => (waiting = resolve));
    const start = performance.now();
    await a.invalidateTags([`t${i % 100}`]);
    latencies.push((await arrived) - start);
    waiting = undefined;
  }
  await Promise.all([appA.close(), appB.close()]);
  return latencies.sort((x, y) => x - y);
}

let runs = 0;

async function stampede(url: string, lock: boolean): Promise<number> {
  const prefix = `bench-stampede-${lock}-${process.pid}-${runs++}`; // a cold key every round
  const options: CacheModuleOptions = { prefix, redis: { url }, ...(lock ? {} : { lock: false }) };
  const [a, appA] = await instance(options);
  const [b, appB] = await instance(options);
  let loads = 0;
  const loader = async () => {
    loads++;
    await new Promise((r) => setTimeout(r, 20));
    return 'v';
  };
  await Promise.all(Array.from({ length: STAMPEDE_CALLS }, (_, i) => (i % 2 ? a : b).getOrSet('cold', loader)));
  await Promise.all([appA.close(), appB.close()]);
  return loads;
}

async function main(): Promise<void> {
  const finish = captureEnvironment();
  const server = process.env.BENCH_REDIS_URL ? undefined : await startEmbeddedRedis();
  const url = process.env.BENCH_REDIS_URL ?? server!.url;
  const propagationRuns = await runRounds(
    [{ name: 'invalidateTags → other instance', run: async () => percentiles(await propagation(url)) }],
    ROUNDS,
  );
  const stampedeRuns = await runRounds(
    [
      { name: LOCK_ON, run: async () => ({ loads: await stampede(url, true) }) },
      { name: LOCK_OFF, run: async () => ({ loads: await stampede(url, false) }) },
    ],
    ROUNDS,
  );
  await server?.stop();
  const ms = (key: string, label: string) => ({ key, label: `${label} ms`, decimals: 2 });
  writeResult({
    schema: 1,
    name: 'consistency',
    title: 'Consistency benchmark',
    description: [
      'One host, two instances in one process, one Redis.',
      `Invalidation → the other instance's L1 evicted: from the \`invalidateTags\` call to the bus message applied, ${INVALIDATIONS} invalidations per round. Target p99 < 5 ms.`,
      `Stampede: ${STAMPEDE_CALLS} concurrent \`getOrSet\` of one cold key split across two instances (20 ms loader); loader calls with and without the distributed lock.`,
    ],
    environment: finish(),
    rounds: ROUNDS,
    tables: [
      {
        kind: 'measured',
        caption: 'Invalidation propagation (p99 is the primary metric):',
        caseLabel: 'path',
        metrics: [ms('p99', 'p99'), ms('p50', 'p50'), ms('p90', 'p90'), ms('max', 'max')],
        rows: toRows(propagationRuns),
      },
      {
        kind: 'measured',
        caption: 'Stampede:',
        caseLabel: 'distributed lock',
        metrics: [{ key: 'loads', label: 'loader calls' }],
        baselines: [LOCK_OFF],
        rows: toRows(stampedeRuns),
      },
    ],
    notes: [],
  });
}

await main();
