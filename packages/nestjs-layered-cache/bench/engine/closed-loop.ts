/**
 * Closed-loop throughput of async operations: `inFlight` workers each await one operation after
 * the other for a fixed time; ops/s = completions / elapsed. Cases run interleaved in rounds (the
 * order rotates every round) so drift of a loaded machine hits every case alike, and each round's
 * ratios compare cases measured moments apart.
 */

export interface LoopCase {
  name: string;
  /** Operations one call performs (e.g. 1 for a get, 100 for a 100-key mget). */
  ops?: number;
  inFlight: number;
  run: () => Promise<unknown>;
}

/** ops/s of `c` over `ms` after `warmupMs` of warm-up. */
export async function closedLoop(c: LoopCase, ms: number, warmupMs: number): Promise<number> {
  let stop = performance.now() + warmupMs;
  const worker = async (): Promise<number> => {
    let done = 0;
    while (performance.now() < stop) {
      await c.run();
      done++;
    }
    return done;
  };
  const many = () => Promise.all(Array.from({ length: c.inFlight }, worker));
  await many();
  const started = performance.now();
  stop = started + ms;
  const counts = await many();
  const elapsed = performance.now() - started;
  const calls = counts.reduce((a, b) => a + b, 0);
  return (calls * (c.ops ?? 1) * 1000) / elapsed;
}

/** Per case, one ops/s sample per round. */
export async function rounds(
  cases: readonly LoopCase[],
  count: number,
  ms: number,
  warmupMs: number,
  /** Where the rotation starts (so callers running one round at a time still rotate). */
  offset = 0,
): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < count; round++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + round + offset) % cases.length]!;
      samples.get(c.name)!.push(await closedLoop(c, ms, warmupMs));
    }
  }
  return samples;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** `median (min–max)` of ops/s samples. */
export const spread = (values: readonly number[]): string =>
  `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;

/** Per-round ratio a/b: `median× (min–max)`. */
export function ratioOf(a: readonly number[], b: readonly number[]): { median: number; text: string } {
  const ratios = a.map((value, i) => value / b[i]!);
  const m = median(ratios);
  return {
    median: m,
    text: `${m.toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
  };
}
