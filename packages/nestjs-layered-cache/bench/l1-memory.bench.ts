/**
 * L1 memory benchmark (issue 19): does `l1.maxBytes` bound real memory? For each kind of value
 * (small objects, product pages, Buffers, strings) an L1-only cache (`createTestingCache`, through
 * the public `set`, so values are stored exactly as the cache stores them) is filled with
 * `entries × BENCH_L1_SCALE` entries, with `maxBytes`/`maxEntries` high enough that nothing is
 * evicted. Real bytes: growth of heapUsed + external (Buffers live off the JS heap) between forced
 * GCs before and after the fill. Accounted bytes: `stats().l1.bytes`. Serialized bytes: the payload
 * sizes the cache reports in its `set` events (after compression). Kinds run interleaved in
 * `BENCH_ROUNDS` rounds (default 3); spreads are min–max over rounds. Then a micro loop prices the
 * set path (ops/s of `set` for small objects and product pages, median of rounds).
 *
 * `npm run bench:l1-memory` (node --expose-gc; without it the script re-runs itself with it).
 * Writes bench/results/l1-memory.md.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestingCache } from '../src/testing/index.js';
import { WORKLOADS, type Workload } from './l1-memory/workloads.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCALE = Number(process.env.BENCH_L1_SCALE ?? 1);
const THROUGHPUT_SETS = Number(process.env.BENCH_L1_SETS ?? 20_000);
const GiB = 2 ** 30;
/** InvalidationLog's default capacity (src/core/invalidation-log.ts). */
const FENCE_CAPACITY = 10_000;

interface Sample {
  entries: number;
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
    entries,
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

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const spread = (xs: number[], f = fmt): string => `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
const ratio = (n: number): string => n.toFixed(2);
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const samples = new Map<string, Sample[]>(WORKLOADS.map((w) => [w.kind, []]));
  const speeds = new Map<string, number[]>([
    ['small objects', []],
    ['product pages', []],
  ]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const workload of WORKLOADS) samples.get(workload.kind)!.push(await fill(workload));
    for (const workload of WORKLOADS.filter((w) => speeds.has(w.kind)))
      speeds.get(workload.kind)!.push(await setThroughput(workload));
  }
  const rows = WORKLOADS.map(({ kind }) => {
    const s = samples.get(kind)!;
    const ratios = s.map((x) => x.accounted / x.real);
    const worst = Math.max(...ratios.map((r) => Math.abs(r - 1)));
    return `| ${kind} | ${fmt(s[0]!.entries)} | ${spread(s.map((x) => x.serialized))} | ${spread(s.map((x) => x.accounted))} | ${spread(s.map((x) => x.real))} | ${spread(ratios, ratio)} | ${worst <= 0.25 ? 'yes' : '**no**'} |`;
  });
  const speedRows = [...speeds].map(([kind, xs]) => `| ${kind} | ${spread(xs)} |`);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const report = [
    '# L1 memory: accounted bytes against real heap growth',
    '',
    `Node ${process.version}, ${ROUNDS} rounds, load average ${load}. Bytes per entry: median (min–max over rounds).`,
    'Real = growth of heapUsed + external after forced GC; accounted = `stats().l1.bytes`; serialized = payload',
    'bytes the cache encoded (after compression). Within ±25 %: every round’s accounted/real in [0.75, 1.25].',
    '',
    '| kind | entries | serialized B/entry | accounted B/entry | real B/entry | accounted / real | within ±25 % |',
    '| ---- | ------: | -----------------: | ----------------: | -----------: | ---------------: | :----------: |',
    ...rows,
    '',
    `Set path: \`set\` ops/s over ${fmt(THROUGHPUT_SETS)} sets on 1 000 keys (L1 only), median (min–max).`,
    '',
    '| value | sets/s |',
    '| ----- | -----: |',
    ...speedRows,
    '',
  ].join('\n');
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/l1-memory.md', report);
  console.log(report);
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
