/**
 * Rounds: every compared case runs once per round, cases interleaved, the order rotated each round
 * (round r starts at case r mod n), so drift of a loaded machine (another process waking up, thermal
 * throttling, a GC-heavy neighbour) hits every case alike instead of whichever ran last.
 */

/** One compared case: `run` measures it once and returns its metrics for that round. */
export interface RoundCase<T> {
  name: string;
  run: (round: number) => Promise<T>;
}

/** Median and the spread (min–max) of a metric over rounds. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** `items` rotated left by `round` (mod length): the order of the cases in that round. */
export function rotation<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const k = ((round % n) + n) % n;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Median (the mean of the middle two for an even count), min and max. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread() of no values: a case ran no rounds');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/**
 * Runs `cases` for `rounds` rounds, interleaved and rotated; returns each case's per-round results
 * in round order. Logs one line per case and round (to stderr, so the table on stdout stays clean).
 */
export async function runRounds<T>(
  cases: readonly RoundCase<T>[],
  rounds: number,
  log: (line: string) => void = (line) => console.error(line),
): Promise<Map<string, T[]>> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${rounds}`);
  const names = new Set(cases.map((c) => c.name));
  if (names.size !== cases.length) throw new Error('runRounds: two cases have the same name');
  const results = new Map<string, T[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of rotation(cases, round)) {
      const started = performance.now();
      results.get(c.name)!.push(await c.run(round));
      log(`round ${round + 1}/${rounds}: ${c.name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
  }
  return results;
}

/**
 * A positive number from the environment, or `fallback` when unset. Bad input is an error naming the
 * variable, not a silent NaN that turns a benchmark into zero iterations.
 */
export function envNumber(name: string, fallback: number, { integer = true } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(
      `${name}=${raw} is not a positive ${integer ? 'integer' : 'number'}. Unset it or set e.g. ${name}=${fallback}`,
    );
  }
  return value;
}

/**
 * Ratio a/b taken within each round (cases measured moments apart, under the same load), then the
 * median and spread of those ratios: steadier on a drifting machine than a ratio of medians.
 */
export function ratioSpread(a: readonly number[], b: readonly number[]): Spread {
  if (a.length !== b.length) throw new Error(`ratioSpread: ${a.length} rounds against ${b.length}`);
  return spread(a.map((value, i) => value / b[i]!));
}

/** BENCH_ROUNDS (default 3): how many interleaved rounds every harness benchmark runs. */
export const benchRounds = (fallback = 3): number => envNumber('BENCH_ROUNDS', fallback);

/** Per-round metric records → per-metric arrays, per case: the `rows` of a measured table. */
export function toRows(
  results: Map<string, Record<string, number>[]>,
): { name: string; values: Record<string, number[]> }[] {
  return [...results].map(([name, runs]) => {
    const values: Record<string, number[]> = {};
    for (const run of runs) for (const [key, v] of Object.entries(run)) (values[key] ??= []).push(v);
    return { name, values };
  });
}
