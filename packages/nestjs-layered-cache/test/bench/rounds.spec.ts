/** The benchmark harness's rounds: cases interleaved, the order rotated each round, medians and spreads. */
import { afterEach, describe, expect, it } from 'vitest';
import { formatRatioSpread } from '../../bench/harness/report.js';
import { envNumber, ratioSpread, rotation, runRounds, spread, toRows } from '../../bench/harness/rounds.js';

describe('benchmark rounds', () => {
  afterEach(() => {
    delete process.env.BENCH_TEST_ROUNDS;
  });

  it('runs every case once per round, starting each round one case later', async () => {
    const order: string[] = [];
    const cases = ['a', 'b', 'c'].map((name) => ({
      name,
      run: async (round: number) => {
        order.push(`${round}:${name}`);
        return { value: round };
      },
    }));
    const results = await runRounds(cases, 4, () => {});
    expect(order).toEqual(['0:a', '0:b', '0:c', '1:b', '1:c', '1:a', '2:c', '2:a', '2:b', '3:a', '3:b', '3:c']);
    expect(toRows(results)).toEqual([
      { name: 'a', values: { value: [0, 1, 2, 3] } },
      { name: 'b', values: { value: [0, 1, 2, 3] } },
      { name: 'c', values: { value: [0, 1, 2, 3] } },
    ]);
    expect(rotation([], 3)).toEqual([]);
  });

  it('gives the median (middle two averaged) and the min–max of the rounds', () => {
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
    expect(spread([4, 1, 2, 10])).toEqual({ median: 3, min: 1, max: 10 });
    expect(() => spread([])).toThrow(/no values/);
  });

  it('takes a ratio within each round, not of the medians, and prints its spread', () => {
    // Round 2 ran under load for both cases: per round the ratio is 2 every time.
    const ratio = ratioSpread([200, 60, 220], [100, 30, 110]);
    expect(ratio).toEqual({ median: 2, min: 2, max: 2 });
    expect(formatRatioSpread(ratio)).toBe('2.00×');
    expect(formatRatioSpread(ratioSpread([90, 100, 120], [100, 100, 100]))).toBe('1.00× (0.90–1.20×)');
    expect(() => ratioSpread([1, 2], [1])).toThrow(/2 rounds against 1/);
  });

  it('refuses a bad rounds count or environment value, naming it', async () => {
    await expect(runRounds([], 0)).rejects.toThrow(/rounds must be a positive integer/);
    process.env.BENCH_TEST_ROUNDS = 'three';
    expect(() => envNumber('BENCH_TEST_ROUNDS', 3)).toThrow(/BENCH_TEST_ROUNDS=three is not a positive integer/);
    process.env.BENCH_TEST_ROUNDS = '5';
    expect(envNumber('BENCH_TEST_ROUNDS', 3)).toBe(5);
    delete process.env.BENCH_TEST_ROUNDS;
    expect(envNumber('BENCH_TEST_ROUNDS', 3)).toBe(3);
  });
});
