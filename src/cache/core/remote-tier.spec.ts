import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CacheEvents } from '../events/cache-events.js';
import type { L2Cache } from '../l2/l2-cache.js';
import { ErrorReporter } from './error-reporter.js';
import { RemoteTier } from './remote-tier.js';

/** Pure timing logic of the soft timeout, against a stand-in for Redis whose replies the test releases. */
describe('RemoteTier soft timeout', () => {
  const SOFT = 50;
  let replies: { resolve: (value: unknown) => void }[];
  let unlocked: string[];
  let sent: string[];
  let tier: RemoteTier;

  beforeEach(() => {
    vi.useFakeTimers();
    replies = [];
    unlocked = [];
    sent = [];
    const pending = (name: string) => () => {
      sent.push(name);
      return new Promise((resolve) => replies.push({ resolve }));
    };
    const l2 = {
      read: pending('read'),
      beginFill: pending('beginFill'),
      tryLock: pending('tryLock'),
      unlock: async (_full: string, token: string) => {
        unlocked.push(token);
        return true;
      },
    } as unknown as L2Cache;
    const reporter = new ErrorReporter({ warn: () => undefined, log: () => undefined }, new CacheEvents());
    tier = new RemoteTier(l2, reporter, () => undefined, 'n:root', undefined, undefined, SOFT);
  });
  afterEach(() => void vi.useRealTimers());

  it('hands back a lock granted after its caller stopped waiting', async () => {
    const attempt = tier.tryLock('k', 10_000);
    await vi.advanceTimersByTimeAsync(SOFT);
    expect(await attempt).toBeUndefined(); // gave up: the caller loads without the lock
    replies[0]!.resolve('late-token');
    await vi.advanceTimersByTimeAsync(0);
    expect(unlocked).toEqual(['late-token']);
    expect(tier.softTimeouts).toBe(1);
  });

  it('skips fill steps for a second after a soft timeout, until Redis answers in time', async () => {
    const read = tier.read(['k']);
    await vi.advanceTimersByTimeAsync(SOFT);
    expect(await read).toBeUndefined();

    expect(await tier.tryLock('k', 10_000)).toBeUndefined();
    expect(await tier.beginFill('k', [], 1000)).toBeUndefined();
    expect(sent).toEqual(['read']); // neither was sent: each would have cost another soft timeout
    expect(tier.slowSkips).toBe(2);

    // A read that answers in time ends the slow period at once.
    const fast = tier.read(['k']);
    replies[1]!.resolve([]);
    expect(await fast).toEqual([]);
    // Never answered: only whether it was sent matters here.
    tier.beginFill('k', [], 1000).catch(() => undefined);
    expect(sent).toEqual(['read', 'read', 'beginFill']);

    // Without an answer in time, the slow period ends by itself after a second.
    const slow = tier.read(['k']);
    await vi.advanceTimersByTimeAsync(SOFT);
    await slow;
    expect(await tier.beginFill('k', [], 1000)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000);
    tier.beginFill('k', [], 1000).catch(() => undefined);
    expect(sent.at(-1)).toBe('beginFill');
    expect(sent.filter((s) => s === 'beginFill')).toHaveLength(2);
  });
});
