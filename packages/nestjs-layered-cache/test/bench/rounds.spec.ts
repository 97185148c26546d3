/** The benchmark harness's rounds: cases interleaved, the order rotated each round, medians and spreads. */
import { afterEach, describe, expect, it } from 'vitest';
import { envNumber, rotation, runRounds, spread, toRows } from '../../bench/harness/rounds.js';

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
