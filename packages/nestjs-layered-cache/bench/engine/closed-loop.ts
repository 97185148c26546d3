/**
 * Closed-loop throughput of async operations: `inFlight` workers each await one operation after
 * the other for a fixed time; ops/s = completions / elapsed. The engine benchmark runs its cases
 * in the harness's interleaved, rotated rounds (bench/harness/rounds.ts).
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
