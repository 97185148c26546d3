/**
 * L1 memory benchmark (issue 19): does `l1.maxBytes` bound real memory? For each kind of value
 * (small objects, product pages, Buffers, strings) an L1-only cache (`createTestingCache`, through
 * the public `set`, so values are stored exactly as the cache stores them) is filled with
 * `entries × BENCH_L1_SCALE` entries, with `maxBytes`/`maxEntries` high enough that nothing is
 * evicted. Real bytes: growth of heapUsed + external (Buffers live off the JS heap) between forced
 * GCs before and after the fill. Accounted bytes: `stats().l1.bytes`. Serialized bytes: the payload
 * sizes the cache reports in its `set` events (after compression). Kinds run interleaved in
 * `BENCH_ROUNDS` rounds (default 3), rotated; spreads are min–max over rounds. Then a micro loop
 * prices the set path (ops/s of `set` for small objects and product pages), also in rounds.
 *
 * `npm run bench:l1-memory` (node --expose-gc; without it the script re-runs itself with it).
 * Writes bench/results/l1-memory.json and .md (bench/harness).
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestingCache } from '../src/testing/index.js';
import { captureEnvironment } from './harness/environment.js';
import { formatNumber, writeResult } from './harness/report.js';
import { benchRounds, envNumber, runRounds, toRows } from './harness/rounds.js';
import { WORKLOADS, type Workload } from './l1-memory/workloads.js';

const ROUNDS = benchRounds();
const SCALE = envNumber('BENCH_L1_SCALE', 1, { integer: false });
const THROUGHPUT_SETS = envNumber('BENCH_L1_SETS', 20_000);
/** The kinds whose `set` throughput is measured. */
const SET_PATH_KINDS = ['small objects', 'product pages'];
const GiB = 2 ** 30;
/** InvalidationLog's default capacity (src/core/invalidation-log.ts). */
const FENCE_CAPACITY = 10_000;

interface Sample {
  serialized: number;
  accounted: number;
  real: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * heapUsed + external once GC has nothing left to free: external memory (Buffers) is released by a
 * background sweeper after the GC, and a closed cache's timers let go of it a tick later.
 */
async function settledMemory(): Promise<number> {
  let last = Number.NaN;
  for (let i = 0; i < 20; i++) {
    gc!();
    await sleep(20);
    const { heapUsed, external } = process.memoryUsage();
    if (Math.abs(heapUsed + external - last) < 64 * 1024) return heapUsed + external;
    last = heapUsed + external;
  }
  return last;
}

async function fill(workload: Workload): Promise<Sample> {
  const entries = Math.round(workload.entries * SCALE);
  const { cache, close } = await createTestingCache({
    l1: { maxEntries: entries, maxBytes: 64 * GiB, maxEntryBytes: GiB },
  });
  let serialized = 0;
  const off = cache.on('set', ({ bytes }) => (serialized += bytes));
  // The local fence remembers the last FENCE_CAPACITY keys written: fill it beforehand with keys of
  // the same length, so its (bounded, non-L1) memory does not count as L1's.
  for (let i = 0; i < FENCE_CAPACITY; i++) await cache.delete(`${workload.kind}~${i}`);
  const before = await settledMemory();
  for (let i = 0; i < entries; i++)
    await cache.set(`${workload.kind}:${i}`, workload.value(i), { tags: workload.tags(i) });
  const after = await settledMemory();
  const l1 = cache.stats().l1!;
  off();
  if (l1.entries !== entries) throw new Error(`${workload.kind}: ${l1.entries}/${entries} entries kept (evicted?)`);
  const sample = {
    serialized: serialized / entries,
    accounted: l1.bytes / entries,
    real: (after - before) / entries,
  };
  await close();
  return sample;
}

async function setThroughput(workload: Workload): Promise<number> {
  const { cache, close } = await createTestingCache({ l1: { maxEntries: 1_000, maxBytes: 64 * GiB } });
  const values = Array.from({ length: 100 }, (_, i) => workload.value(i));
  const tags = Array.from({ length: 100 }, (_, i) => workload.tags(i));
  const started = performance.now();
  for (let i = 0; i < THROUGHPUT_SETS; i++)
    await cache.set(`k:${i % 1_000}`, values[i % 100], { tags: tags[i % 100]! });
  const opsPerSecond = THROUGHPUT_SETS / ((performance.now() - started) / 1000);
  await close();
  return opsPerSecond;
}

async function main(): Promise<void> {
  const finish = captureEnvironment();
  // Kinds interleaved and rotated: each round fills every kind once, in a different order.
  const fills = await runRounds(
    WORKLOADS.map((workload) => ({
      name: workload.kind,
      run: async () => {
        const s = await fill(workload);
        return { ratio: s.accounted / s.real, serialized: s.serialized, accounted: s.accounted, real: s.real };
      },
    })),
    ROUNDS,
  );
  const speeds = await runRounds(
    WORKLOADS.filter((w) => SET_PATH_KINDS.includes(w.kind)).map((workload) => ({
      name: workload.kind,
      run: async () => ({ sets: await setThroughput(workload) }),
    })),
    ROUNDS,
  );
  const verdicts = WORKLOADS.map(({ kind, entries }) => {
    const ratios = fills.get(kind)!.map((r) => r.ratio);
    const worst = ratios.reduce((w, r) => (Math.abs(r - 1) > Math.abs(w - 1) ? r : w));
    return [
      kind,
      formatNumber(Math.round(entries * SCALE)),
      worst.toFixed(2),
      Math.abs(worst - 1) <= 0.25 ? 'yes' : '**no**',
    ];
  });
  const perEntry = (key: string, label: string) => ({ key, label: `${label} B/entry` });
  writeResult({
    schema: 1,
    name: 'l1-memory',
    title: 'L1 memory: accounted bytes against real heap growth',
    description: [
      'Per kind of value, an L1-only cache filled through the public `set` (nothing evicted). ' +
        'Real = growth of heapUsed + external between forced GCs before and after the fill; accounted = ' +
        '`stats().l1.bytes`; serialized = payload bytes the cache encoded (after compression). ' +
        'The bound `l1.maxBytes` holds only if accounted / real stays within ±25 % in every round.',
    ],
    environment: finish(),
    rounds: ROUNDS,
    tables: [
      {
        kind: 'measured',
        caption: 'Bytes per entry:',
        caseLabel: 'kind',
        metrics: [
          { key: 'ratio', label: 'accounted / real', decimals: 2 },
          perEntry('serialized', 'serialized'),
          perEntry('accounted', 'accounted'),
          perEntry('real', 'real'),
        ],
        rows: toRows(fills),
      },
      {
        kind: 'text',
        caption: 'Within ±25 % (the round furthest from 1):',
        header: ['kind', 'entries', 'worst accounted / real', 'within ±25 %'],
        rows: verdicts,
      },
      {
        kind: 'measured',
        caption: `Set path: \`set\` ops/s over ${formatNumber(THROUGHPUT_SETS)} sets on 1 000 keys (L1 only):`,
        caseLabel: 'value',
        metrics: [{ key: 'sets', label: 'sets/s' }],
        rows: toRows(speeds),
      },
    ],
    notes: [],
  });
}

if (gc === undefined) {
  // Heap growth means nothing without forced GC: re-run with it.
  const run = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
