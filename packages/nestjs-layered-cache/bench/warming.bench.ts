/**
 * Predictive warming benchmark: hit rate of a skewed (Zipf, s = 1.1) read workload over 1 000 keys
 * with a 2 s TTL, for BENCH_WARMING_PERIODS (5) TTL periods, without and with refresh-ahead, in
 * BENCH_ROUNDS interleaved rounds (bench/harness). `npm run bench:warming` (BENCH_REDIS_URL to use
 * an existing Redis). Writes bench/results/warming.{md,json}.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CacheModule, CacheService } from '../src/index.js';
import { CacheAdminModule } from '../src/admin/index.js';
import { CacheWarmingModule, CacheWarmingService } from '../src/warming/index.js';
import { startEmbeddedRedis } from '@internal/dev-services';
import { captureEnvironment } from './harness/environment.js';
import { writeResult } from './harness/report.js';
import { benchRounds, envNumber, runRounds, toRows } from './harness/rounds.js';

const KEYS = 1000;
const TTL = 2000;
/** TTL periods per run (BENCH_WARMING_PERIODS, default 5): a run lasts TTL × PERIODS. */
const PERIODS = envNumber('BENCH_WARMING_PERIODS', 5);
const ROUNDS = benchRounds();
const NO_WARMING = 'no warming';
const READS_PER_SECOND = 2000;

/** Zipf sampler over 1..n by inverse CDF. */
function zipf(n: number, s: number): () => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const w of weights) cdf.push((acc += w / total));
  let seed = 42;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  return () => {
    const r = random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

async function run(redisUrl: string, warming: boolean): Promise<{ hitRate: number; loads: number; refreshes: number }> {
  const prefix = `bench-warm-${warming ? 'on' : 'off'}-${Date.now()}`;
  const imports = [CacheModule.forRoot({ isGlobal: true, prefix, redis: { url: redisUrl }, ttl: TTL })];
  if (warming) {
    imports.push(
      CacheAdminModule.forRoot({ token: 'bench-token-0123456789abcdef' }),
      CacheWarmingModule.forRoot({ refreshAhead: { every: 250, threshold: 600, top: 200, sample: 4 } }),
    );
  }
  @Module({ imports })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  await app.init();
  const cache = app.get(CacheService);
  let loads = 0;
  const load = async (key: string) => {
    loads++;
    await new Promise((r) => setTimeout(r, 2));
    return { key, at: Date.now() };
  };
  let refreshes = 0;
  if (warming) {
    app.get(CacheWarmingService).register('item:*', (key) => {
      refreshes++;
      return load(key);
    });
  }
  const next = zipf(KEYS, 1.1);
  const end = Date.now() + TTL * PERIODS;
  const warmUpEnd = Date.now() + TTL;
  // The first TTL period fills the cache either way: the hit rate counts the periods after it.
  let start: ReturnType<CacheService['stats']> | undefined;
  while (Date.now() < end) {
    if (!start && Date.now() > warmUpEnd) start = cache.stats();
    const batch = Array.from({ length: READS_PER_SECOND / 20 }, () => `item:${next()}`);
    await Promise.all(batch.map((key) => cache.getOrSet(key, () => load(key))));
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = cache.stats();
  const hitsOf = (s: ReturnType<CacheService['stats']>) => (s.l1?.hits ?? 0) + (s.l2?.hits ?? 0) + s.staleHits;
  const hits = hitsOf(stop) - hitsOf(start!);
  const misses = stop.misses - start!.misses;
  await app.close();
  return { hitRate: hits / (hits + misses), loads: loads - refreshes, refreshes };
}

async function main(): Promise<void> {
  const finish = captureEnvironment();
  const server = process.env.BENCH_REDIS_URL ? undefined : await startEmbeddedRedis();
  const url = process.env.BENCH_REDIS_URL ?? server!.url;
  try {
    const measure = (warming: boolean) => async () => {
      const r = await run(url, warming);
      return { hitRate: r.hitRate * 100, loads: r.loads, refreshes: r.refreshes };
    };
    const runs = await runRounds(
      [
        { name: NO_WARMING, run: measure(false) },
        { name: 'refresh-ahead', run: measure(true) },
      ],
      ROUNDS,
    );
    writeResult({
      schema: 1,
      name: 'warming',
      title: 'Predictive warming (refresh-ahead)',
      description: [
        `Zipf (s = 1.1) reads over ${KEYS} keys, ${READS_PER_SECOND} reads/s, TTL ${TTL} ms, ${PERIODS} TTL periods per run; ` +
          'hit rate over the periods after the first (which fills the cache).',
        'Refresh-ahead: every 250 ms, top 200 keys, refresh below 600 ms of freshness left, 1 read in 4 sampled.',
      ],
      environment: finish(),
      rounds: ROUNDS,
      tables: [
        {
          kind: 'measured',
          caption: '',
          caseLabel: 'configuration',
          metrics: [
            { key: 'hitRate', label: 'hit rate %', decimals: 1 },
            { key: 'loads', label: 'loader calls from reads' },
            { key: 'refreshes', label: 'refresh-ahead loads' },
          ],
          baselines: [NO_WARMING],
          rows: toRows(runs),
        },
      ],
      notes: [],
    });
  } finally {
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
