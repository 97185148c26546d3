import { CacheConfigError } from '../errors/cache-config.error.js';

/**
 * The one rule for a duration in ms, shared by the module options' schema, per-call options
 * (`ttl`, `grace`, `failSafe`, `timeout`), `@CacheRoute` and `@CacheWarmer`: a finite number of
 * milliseconds, at least `min`, at most ten years (beyond that it is a unit mistake, like seconds
 * multiplied by 1000 twice).
 */
export const MAX_DURATION = 10 * 365 * 24 * 3_600_000;

/** What is wrong with `value` as a duration of at least `min` ms, or undefined when nothing is. */
export function durationProblem(value: unknown, min: number): string | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'must be a number of milliseconds';
  if (value < min) return min === 1 ? 'must be > 0 ms' : `must be ≥ ${min} ms`;
  if (value > MAX_DURATION) return `must be at most ${MAX_DURATION} ms (ten years); durations are milliseconds`;
  return undefined;
}

/**
 * The durations of a feature module's options by the same rule: `mins` maps each duration option
 * to its least value. One line per problem, naming the option (`ttl must be > 0 ms, got 0`).
 */
export function durationProblems(options: object | undefined, mins: Readonly<Record<string, number>>): string[] {
  return Object.entries(mins).flatMap(([name, min]) => {
    const value = (options as Record<string, unknown> | undefined)?.[name];
    const problem = value === undefined ? undefined : durationProblem(value, min);
    return problem ? [`${name} ${problem}, got ${String(value)}`] : [];
  });
}

/** Throws `CacheConfigError` naming every duration of `options` that breaks the rule (a feature module's boot check). */
export function assertDurations(
  module: string,
  options: object | undefined,
  mins: Readonly<Record<string, number>>,
): void {
  const problems = durationProblems(options, mins);
  if (problems.length > 0) throw new CacheConfigError(`Invalid ${module} options: ${problems.join('; ')}.`);
}
