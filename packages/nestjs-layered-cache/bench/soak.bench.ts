/**
 * Bounded soak test: two instances (two Nest contexts, one prefix, one Redis) under a mixed load on
 * a Zipf (s = 1.1) distribution over 20 000 rows, from 32 concurrent workers each picking an
 * instance per operation, for SOAK_SECONDS (default 180) and at least SOAK_OPERATIONS (default
 * 100 000). The source of truth is an in-memory Map (row → version). Mix: 84.5 % getOrSet reads,
 * 12 % writes (bump the row, then `invalidateTags(row)` or, for 30 % of them, `set()` the new row),
 * 0.5 % group-tag invalidations, 2.8 % deletes, 0.2 % pattern invalidations. Group invalidations
 * are kept rare: at 5 % each entry would be invalidated several times a second (50 groups) and L1
 * would never fill. 20 000 rows so that far more keys exist than are live at once: leaked keys show.
 *
 * Checks (each can fail; exit code 1 if any does):
 *  - errors: no operation throws and `stats().errors` stays 0 on both instances;
 *  - consistency: the rule of test/consistency/consistency-checker.spec.ts (see ConsistencyTracker),
 *    and every row invalidation reached the other instance over the bus;
 *  - L1: `stats().l1.bytes`, sampled every 250 ms, never exceeds `l1.maxBytes` (1 MiB), and evicts;
 *  - heap: after the warm-up (first 20 %), heapUsed after gc() does not grow (see HEAP_TOLERANCE);
 *  - Redis: entry keys stay bounded (last third vs middle third), version counters never outnumber
 *    the tags used, and every key has a TTL.
 *
 * `npm run bench:soak` = `tsc -p bench/tsconfig.json && node --expose-gc dist-bench/bench/soak.bench.js`
 * (without --expose-gc the script re-runs itself with it). BENCH_REDIS_URL to use an existing Redis,
 * SOAK_SEED to replay a mix, SOAK_WORKERS. Writes bench/results/soak.{md,json} (bench/harness/report.ts).
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { CacheModule, CacheService, type CacheSetOptions, type CacheStatsSnapshot } from '../src/index.js';
import { startEmbeddedRedis } from '@internal/dev-services';
import { captureEnvironment, type Environment } from './harness/environment.js';
import { writeResult } from './harness/report.js';
import { envNumber } from './harness/rounds.js';
import { ConsistencyTracker, type Side } from './soak/consistency-tracker.js';
import { KeyDeadlines } from './soak/redis-keys.js';
import { heapVerdict, keyVerdicts, mib, startSampling, type Check, type Samples } from './soak/sampling.js';
import { measureRows } from './soak/soak-measures.js';
import { prng, zipf } from './soak/soak-random.js';

const SECONDS = envNumber('SOAK_SECONDS', 180);
const MIN_OPERATIONS = envNumber('SOAK_OPERATIONS', 100_000);
const WORKERS = envNumber('SOAK_WORKERS', 32);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);
const ROWS = 20_000;
const GROUPS = 50;
const L1_MAX_BYTES = 2 ** 20;
/** Short, so delete tombstones and fill placeholders also expire during the run. */
const FILL_WINDOW = 10_000;
/** The stampede lock's default wait for another instance's fill, ms. */
const LOCK_MAX_WAIT = 5_000;
/**
 * Longest an entry or lock key may outlive a use of its row: a grace refresh started by that use
 * may wait up to lock.maxWait for another instance's fill, then take the lock (lock.ttl = 10 s) and
 * leave a fill placeholder (fillWindow); entries themselves live ttl + grace ≤ 6 s.
 */
const KEY_LIFETIME = LOCK_MAX_WAIT + FILL_WINDOW;
/** Dependency counters live twice their longest entry's lifetime (6 s here), at least 60 s. */
const COUNTER_MAX = 60_000;
const WARMUP = 0.2;
/**
 * Allowed heapUsed growth (mean of the last 3 post-warm-up samples over the first 3): 16 MiB or
 * 20 %, whichever is larger. Everything the run keeps is bounded (two 1 MiB L1s, maps of at most
 * 20 000 rows), so after warm-up the heap only moves by GC noise and in-flight work (a few MiB);
 * a leak of 16 bytes per operation over the ≥ 1M operations of a default run already exceeds it.
 */
const HEAP_TOLERANCE = (first: number) => Math.max(16 * 2 ** 20, 0.2 * first);
/**
 * Entry keys are a stationary quantity (rows touched within ttl + grace ≤ 6 s, tombstones within
 * 10 s); the max of a third moves by a few % between thirds. 10 % (+100 keys for tiny counts)
 * absorbs that; keys that accumulate grow far more (and keys without TTL fail on their own).
 */
const KEY_GROWTH = (middleMax: number) => middleMax * 1.1 + 100;
const PAD = 'x'.repeat(4000);

type Row = { id: number; version: number; pad: string };
const COUNTS = ['reads', 'loads', 'invalidations', 'sets', 'groups', 'deletes', 'patterns', 'thrown'] as const;
type Counts = Record<(typeof COUNTS)[number], number>;
interface Soak {
  caches: [CacheService, CacheService];
  db: Map<number, number>;
  tracker: ConsistencyTracker;
  deadlines: KeyDeadlines;
  random: () => number;
  pick: () => number;
  /** Rows whose tags an entry has carried (each may own a `~v:t:row:<id>` counter). */
  touched: Set<number>;
  counts: Counts;
  errors: string[];
  ops: number;
  started: number;
}

/** A `~v:` counter the workload can have created: a cached row's tag, a group tag, the root namespace. */
const knownCounter = (s: Soak) => (rest: string) => {
  const [, kind, id] = /^~v:t:(row|group):(\d+)$/.exec(rest) ?? [];
  if (kind === 'row') return s.touched.has(Number(id));
  return kind === 'group' ? Number(id) < GROUPS : rest === '~v:n:default';
};
const seconds = (s: Soak) => (performance.now() - s.started) / 1000;
const done = (s: Soak) => s.ops >= MIN_OPERATIONS && seconds(s) >= SECONDS;
const entryOptions = (id: number): CacheSetOptions => ({
  ttl: 2000 + (id % 4) * 1000,
  grace: id % 2 ? 0 : 1000,
  tags: [`row:${id}`, `group:${id % GROUPS}`],
});
/** 1–4 KB rows, so that the 1 MiB L1s really fill and evict. */
const rowValue = (id: number, version: number): Row => ({
  id,
  version,
  pad: PAD.slice(0, 1000 + ((id * 7919) % 3000)),
});

/** The "database" read: a short async delay (0–2 ms), then the row as it is now. */
async function load(s: Soak, id: number): Promise<Row> {
  s.counts.loads++;
  if (s.random() < 0.5) await yieldToLoop();
  else await sleep(1 + Math.floor(s.random() * 2));
  return rowValue(id, s.db.get(id) ?? 0);
}

async function read(s: Soak, side: Side, id: number): Promise<void> {
  const required = s.tracker.required(side, id);
  s.touched.add(id);
  s.deadlines.used(id);
  const row = await s.caches[side].getOrSet<Row>(`row:${id}`, () => load(s, id), entryOptions(id));
  s.counts.reads++;
  s.deadlines.used(id);
  s.tracker.check(side, id, required, row.version, 'getOrSet');
}

/** Bumps the row, then invalidates its tag (or writes the new value through) on `side`. */
function write(s: Soak, side: Side, id: number, direct: boolean): Promise<void> {
  return s.tracker.withRow(id, async () => {
    const version = (s.db.get(id) ?? 0) + 1;
    s.db.set(id, version);
    if (direct) {
      s.touched.add(id);
      s.deadlines.used(id);
      await s.caches[side].set(`row:${id}`, rowValue(id, version), entryOptions(id));
      s.deadlines.used(id);
      s.counts.sets++;
    } else {
      s.tracker.announce(side, id, version);
      await s.caches[side].invalidateTags([`row:${id}`]);
      s.counts.invalidations++;
    }
    s.tracker.returned(side, id, version);
  });
}

async function operation(s: Soak): Promise<void> {
  const side: Side = s.random() < 0.5 ? 0 : 1;
  const cache = s.caches[side];
  const id = s.pick();
  const r = s.random();
  if (r < 0.845) return read(s, side, id);
  if (r < 0.965) return write(s, side, id, s.random() < 0.3);
  if (r < 0.97) {
    s.counts.groups++;
    return cache.invalidateTags([`group:${id % GROUPS}`]);
  }
  if (r < 0.998) {
    s.counts.deletes++;
    s.deadlines.used(id);
    await cache.delete(`row:${id}`);
    return s.deadlines.used(id);
  }
  s.counts.patterns++;
  const started = performance.now();
  await cache.invalidatePattern(`row:${id}*`);
  s.deadlines.pattern(String(id), started);
}

async function worker(s: Soak): Promise<void> {
  for (let n = 1; !done(s); n++) {
    try {
      await operation(s);
    } catch (error) {
      s.counts.thrown++;
      if (s.errors.length < 5) s.errors.push(String(error));
    }
    s.ops++;
    // L1 hits resolve without I/O: let timers (the samplers) and Redis replies in regularly.
    if (n % 64 === 0) await yieldToLoop();
  }
}

function verdicts(s: Soak, samples: Samples, stats: CacheStatsSnapshot[], total: number) {
  const [c, t] = [s.counts, s.tracker];
  const errors = stats.reduce((n, st) => n + st.errors, 0);
  const evictions = stats.map((st) => st.l1?.evictions ?? 0);
  const heap = heapVerdict(samples, total, WARMUP, HEAP_TOLERANCE);
  const keys = keyVerdicts(samples, total, KEY_GROWTH, COUNTER_MAX);
  const checks: Check[] = [
    { name: 'zero errors', detail: `thrown ${c.thrown}, stats().errors ${errors}`, pass: c.thrown + errors === 0 },
    {
      name: 'zero consistency violations',
      detail: `${t.violations} in ${c.reads} reads`,
      pass: t.violations === 0 && c.reads > 0,
    },
    {
      name: 'every row invalidation reached the other instance',
      detail: `${t.messagesMatched} heard, ${t.pendingMessages} missing, ${t.unmatched} unexpected`,
      pass: t.pendingMessages === 0 && t.unmatched === 0 && t.messagesMatched > 0,
    },
    {
      name: 'L1 never above maxBytes (and evicting)',
      detail: `max A ${samples.l1Max[0]}, B ${samples.l1Max[1]} ≤ ${L1_MAX_BYTES}; evictions ${evictions.join(' / ')}`,
      pass: Math.max(...samples.l1Max) <= L1_MAX_BYTES && Math.min(...evictions) > 0,
    },
    heap.check,
    ...keys.checks,
    { name: `at least ${MIN_OPERATIONS} operations`, detail: `${s.ops}`, pass: s.ops >= MIN_OPERATIONS },
  ];
  return { checks, rows: [heap.row, ...keys.rows] };
}

function report(
  s: Soak,
  samples: Samples,
  stats: CacheStatsSnapshot[],
  total: number,
  environment: Environment,
): Check[] {
  const { checks, rows } = verdicts(s, samples, stats, total);
  const measures = measureRows(s.counts, s.ops, total, stats, rows);
  writeResult({
    schema: 1,
    name: 'soak',
    title: 'Soak test',
    description: [
      `Two instances in one process, one Redis; seed ${SEED}, ${WORKERS} workers, ${ROWS} rows (Zipf s = 1.1), ` +
        `L1 ${mib(L1_MAX_BYTES)} each, TTL 2–5 s (+1 s grace on half the rows); ${SECONDS} s and at least ${MIN_OPERATIONS} operations.`,
    ],
    environment,
    rounds: 1,
    tables: [
      { kind: 'text', caption: '', header: ['measure', 'value'], rows: measures },
      {
        kind: 'text',
        caption: '',
        header: ['check', 'detail', 'verdict'],
        rows: checks.map((k) => [k.name, k.detail, k.pass ? 'PASS' : '**FAIL**']),
      },
    ],
    notes: [],
  });
  if (s.tracker.examples.length) console.error('First violations:', s.tracker.examples);
  if (s.errors.length) console.error('First errors:', s.errors);
  return checks;
}

async function instance(url: string, prefix: string): Promise<[CacheService, INestApplicationContext]> {
  const options = { prefix, redis: { url }, l1: { maxBytes: L1_MAX_BYTES }, fillWindow: FILL_WINDOW };
  const app = await NestFactory.createApplicationContext(CacheModule.forRoot(options), { logger: false });
  return [app.get(CacheService), app];
}

async function main(gc: () => void): Promise<void> {
  const finish = captureEnvironment();
  const server = process.env.BENCH_REDIS_URL ? undefined : await startEmbeddedRedis();
  const url = process.env.BENCH_REDIS_URL ?? server!.url;
  const prefix = `soak-${process.pid}`;
  const [[a, appA], [b, appB]] = [await instance(url, prefix), await instance(url, prefix)];
  const redis = new Redis(url);
  const random = prng(SEED);
  const counts = Object.fromEntries(COUNTS.map((name) => [name, 0])) as Counts;
  const [tracker, deadlines, pick] = [
    new ConsistencyTracker(),
    new KeyDeadlines(KEY_LIFETIME),
    zipf(ROWS, 1.1, random),
  ];
  const fresh = { touched: new Set<number>(), errors: [], ops: 0, started: performance.now() };
  const s: Soak = { caches: [a, b], db: new Map(), tracker, deadlines, random, pick, counts, ...fresh };
  if (!a.stats().bus?.trusted || !b.stats().bus?.trusted) throw new Error('bus not subscribed');
  a.on('bus', ({ deps }) => s.tracker.heardDeps(0, deps));
  b.on('bus', ({ deps }) => s.tracker.heardDeps(1, deps));
  console.log(`soak: ${SECONDS} s, ≥ ${MIN_OPERATIONS} operations, ${WORKERS} workers, seed ${SEED}`);
  const now = () => ({ t: seconds(s), ops: s.ops, touched: s.touched.size });
  const heapEvery = Math.max(1000, (SECONDS * 1000) / 36);
  const stop = startSampling(s.caches, redis, prefix, deadlines, knownCounter(s), gc, now, heapEvery);
  await Promise.all(Array.from({ length: WORKERS }, () => worker(s)));
  const total = seconds(s);
  await sleep(200); // the last bus messages
  const samples = await stop();
  const checks = report(s, samples, [a.stats(), b.stats()], total, finish());
  await Promise.all([appA.close(), appB.close(), redis.quit()]);
  await server?.stop();
  const failed = checks.filter((k) => !k.pass);
  if (failed.length) console.error(`FAIL: ${failed.map((k) => k.name).join(', ')}`);
  process.exitCode = failed.length ? 1 : 0;
}

const gc = globalThis.gc;
if (gc === undefined) {
  // heapUsed is only comparable right after a full collection: re-run with --expose-gc.
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exitCode = child.status ?? 1;
} else {
  await main(() => void gc());
}
