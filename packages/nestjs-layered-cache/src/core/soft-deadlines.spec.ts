import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SoftDeadlines } from './soft-deadlines.js';

/** One timer for every soft timeout: each wait still ends at its own deadline, in order. */
describe('SoftDeadlines', () => {
  const MS = 50;
  let onTime: number;
  let timeouts: number;
  let errors: unknown[];
  let deadlines: SoftDeadlines;

  const reply = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };
  /** The wait's outcome so far: 'open' until it settles. */
  const watch = <T>(wait: Promise<T>) => {
    const seen: { value: T | 'open' } = { value: 'open' };
    wait.then(
      (value) => (seen.value = value),
      (error: unknown) => expect.unreachable(String(error)),
    );
    return seen;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    onTime = 0;
    timeouts = 0;
    errors = [];
    deadlines = new SoftDeadlines(
      MS,
      () => onTime++,
      () => timeouts++,
      (error) => errors.push(error),
    );
  });
  afterEach(() => void vi.useRealTimers());

  it('ends waits started at different times each at its own deadline', async () => {
    const first = watch(deadlines.race(reply<string>().promise));
    await vi.advanceTimersByTimeAsync(20);
    const second = watch(deadlines.race(reply<string>().promise));
    await vi.advanceTimersByTimeAsync(30); // the first's deadline
    expect(first.value).toBeUndefined();
    expect(second.value).toBe('open');
    expect(timeouts).toBe(1);
    await vi.advanceTimersByTimeAsync(20); // the second's
    expect(second.value).toBeUndefined();
    expect(timeouts).toBe(2);
  });

  it('answers in time without a timeout, and still times out a stalled wait queued behind answered ones', async () => {
    const fast = reply<string>();
    const answered = deadlines.race(fast.promise);
    fast.resolve('hit');
    expect(await answered).toBe('hit');
    expect(onTime).toBe(1);
    expect(deadlines.open).toBe(0);

    await vi.advanceTimersByTimeAsync(MS + 10); // the timer armed for the answered wait fires: nothing to end
    expect(timeouts).toBe(0);
    const stalled = watch(deadlines.race(reply<string>().promise));
    await vi.advanceTimersByTimeAsync(MS - 1);
    expect(stalled.value).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(stalled.value).toBeUndefined();
    expect(timeouts).toBe(1);
  });

  it('hands a result that arrives after the deadline to `late`, and a rejection to onError as a miss', async () => {
    const slow = reply<string>();
    const late: string[] = [];
    const wait = deadlines.race(slow.promise, (result) => late.push(result));
    await vi.advanceTimersByTimeAsync(MS);
    expect(await wait).toBeUndefined();
    slow.resolve('token');
    await vi.advanceTimersByTimeAsync(0);
    expect(late).toEqual(['token']);
    expect(onTime).toBe(0);

    const failing = reply<string>();
    const failed = deadlines.race(failing.promise);
    failing.reject(new Error('boom'));
    expect(await failed).toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  it('keeps its queue bounded while every wait is answered in time', async () => {
    for (let i = 0; i < 5000; i++) {
      const r = reply<number>();
      const wait = deadlines.race(r.promise);
      r.resolve(i);
      await wait;
    }
    expect(deadlines.open).toBe(0);
    expect((deadlines as unknown as { queue: unknown[] }).queue.length).toBe(0);
  });
});
