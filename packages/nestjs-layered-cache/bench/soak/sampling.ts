/** The soak's samplers (L1 bytes, heap after gc, Redis key census) and the verdicts over them. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { census, type KeyCensus, type KeyDeadlines } from './redis-keys.js';
import { slope } from './soak-random.js';

/** What the samplers collected; `t` is seconds since the start, `ops` operations done by then. */
export interface Samples {
  l1Max: [number, number];
  heap: { t: number; ops: number; bytes: number }[];
  keys: { t: number; census: KeyCensus; touched: number }[];
}

/**
 * Samples until the returned function is called: each instance's L1 bytes every 250 ms (keeping the
 * max), heapUsed right after gc() every `heapEvery` ms, a key census every `heapEvery / 0.6` ms.
 */
export function startSampling(
  caches: readonly { stats(): { l1: { bytes: number } | null } }[],
  redis: Redis,
  prefix: string,
  deadlines: KeyDeadlines,
  knownCounter: (rest: string) => boolean,
  gc: () => void,
  now: () => { t: number; ops: number; touched: number },
  heapEvery: number,
): () => Promise<Samples> {
  const samples: Samples = { l1Max: [0, 0], heap: [], keys: [] };
  const l1 = setInterval(() => {
    caches.forEach((cache, i) => (samples.l1Max[i] = Math.max(samples.l1Max[i]!, cache.stats().l1?.bytes ?? Infinity)));
  }, 250);
  const heap = setInterval(() => {
    gc();
    const { t, ops } = now();
    samples.heap.push({ t, ops, bytes: process.memoryUsage().heapUsed });
  }, heapEvery);
  let stopped = false;
  const keys = (async () => {
    while (!stopped) {
      const { t } = now();
      const counted = await census(redis, prefix, deadlines, knownCounter);
      // Tags used up to the end of the census: an upper bound for the counters it saw.
      samples.keys.push({ t, census: counted, touched: now().touched });
      await sleep(heapEvery * 0.6);
    }
  })();
  return async () => {
    stopped = true;
    clearInterval(l1);
    clearInterval(heap);
    await keys;
    return samples;
  };
}

export interface Check {
  name: string;
  detail: string;
  pass: boolean;
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * heapUsed after gc(), after the warm-up: the mean of the last 3 samples may exceed the mean of the
 * first 3 by at most `tolerance(first)` (3 samples each: one gc'ed sample still varies by a few MiB
 * with the work in flight). Also returns the least-squares slope per 10k operations.
 */
export function heapVerdict(
  samples: Samples,
  total: number,
  warmup: number,
  tolerance: (first: number) => number,
): { check: Check; row: string } {
  const post = samples.heap.filter((h) => h.t >= warmup * total);
  const first = mean(post.slice(0, 3).map((h) => h.bytes));
  const last = mean(post.slice(-3).map((h) => h.bytes));
  const max = Math.max(...post.map((h) => h.bytes));
  const perOp = slope(
    post.map((h) => h.ops),
    post.map((h) => h.bytes),
  );
  const detail = `${post.length} samples, first ${mib(first)}, last ${mib(last)}, max ${mib(max)}, slope ${((perOp * 10_000) / 1024).toFixed(1)} KiB / 10k ops`;
  return {
    check: {
      name: 'heap stable after warm-up',
      detail: `last − first ${mib(last - first)} ≤ ${mib(tolerance(first))} (${post.length} samples, ≥ 6 needed)`,
      pass: post.length >= 6 && last - first <= tolerance(first),
    },
    row: `| heap after gc, after warm-up | ${detail} |`,
  };
}

/**
 * Redis keys by thirds of the run. Entry keys (+ locks), and all keys with the version counters,
 * must not grow from the middle third to the last (`growth(middleMax)` is the most allowed); every
 * version counter must belong to a tag the workload used (`knownCounter`, judged after the SCAN);
 * entry and lock keys must be gone soon after their row's last use (KeyDeadlines); no key may lack
 * a TTL, and no counter may live longer than `counterMax` (see L2Cache.depTtl).
 */
export function keyVerdicts(
  samples: Samples,
  total: number,
  growth: (middleMax: number) => number,
  /** Longest a dependency counter may live, ms (twice the longest entry lifetime, at least 60 s). */
  counterMax: number,
): { checks: Check[]; rows: string[] } {
  const third = (k: number) =>
    samples.keys.filter((x) => x.t >= (k * total) / 3 && (k === 2 || x.t < ((k + 1) * total) / 3));
  const live = (c: KeyCensus) => c.entries + c.locks;
  const all = (c: KeyCensus) => live(c) + c.rowVersions + c.groupVersions + c.otherVersions;
  const range = (k: number, f: (c: KeyCensus) => number) => {
    const xs = third(k).map((x) => f(x.census));
    return xs.length ? [Math.min(...xs), Math.max(...xs)] : [NaN, NaN];
  };
  const [middle, last] = [range(1, live)[1]!, range(2, live)[1]!];
  const [middleAll, lastAll] = [range(1, all)[1]!, range(2, all)[1]!];
  const unknown = Math.max(...samples.keys.map((x) => x.census.unknownCounters));
  const noTtl = Math.max(...samples.keys.map((x) => x.census.noTtl));
  const overdue = samples.keys.filter((x) => x.census.overdue > 0);
  const worst = overdue.reduce((a, b) => (b.census.overdue > a.census.overdue ? b : a), overdue[0]);
  const maxPttl = Math.max(...samples.keys.map((x) => x.census.maxVersionPttl));
  const end = samples.keys.at(-1);
  const rows = [0, 1, 2].map((k) => {
    const versions = `${range(k, (c) => c.rowVersions).join('–')} row + ${range(k, (c) => c.groupVersions).join('–')} group`;
    return `| Redis keys, third ${k + 1} (${third(k).length} samples), min–max | all ${range(k, all).join('–')}; entries+locks ${range(k, live).join('–')}; version counters ${versions} |`;
  });
  rows.push(
    `| tag-version keys at the end | ${end?.census.rowVersions} row + ${end?.census.groupVersions} group (rows ever cached: ${end?.touched}); longest PTTL ${(maxPttl / 60_000).toFixed(1)} min |`,
  );
  const checks: Check[] = [
    {
      name: 'entry keys bounded (last third vs middle third)',
      detail: `max ${last} ≤ ${growth(middle).toFixed(0)} (middle max ${middle})`,
      pass: last <= growth(middle),
    },
    {
      name: 'all keys bounded, version counters included (last third vs middle third)',
      detail: `max ${lastAll} ≤ ${growth(middleAll).toFixed(0)} (middle max ${middleAll})`,
      pass: lastAll <= growth(middleAll),
    },
    {
      name: 'entry keys expire (≤ lifetime after their last use)',
      detail: worst
        ? `${overdue.length} of ${samples.keys.length} censuses found overdue keys, up to ${worst.census.overdue} at ${worst.t.toFixed(0)} s, e.g. ${worst.census.overdueExamples.join(', ')}`
        : `0 overdue keys in ${samples.keys.length} censuses`,
      pass: samples.keys.length > 0 && overdue.length === 0,
    },
    {
      name: 'version counters only for tags used',
      detail: `${unknown} counters of unused tags (max per census)`,
      pass: samples.keys.length > 0 && unknown === 0,
    },
    {
      name: `every key has a TTL, counters ≤ ${counterMax / 1000} s`,
      detail: `keys without TTL ${noTtl}; longest counter PTTL ${maxPttl} ms`,
      pass: noTtl === 0 && maxPttl <= counterMax,
    },
  ];
  return { checks, rows };
}
