import { describe, expect, it } from 'vitest';
import { PendingInvalidations } from './pending-invalidations.js';

describe('PendingInvalidations', () => {
  it('replaces an overflowing list by one invalidation of everything, never dropping silently', async () => {
    const pending = new PendingInvalidations('n:default', 3);
    pending.addDeps(['t:a', 't:b']);
    pending.addKeys(['k1', 'k2']);
    expect(pending.overflows).toBe(1);
    const bumped: string[][] = [];
    const deleted: string[][] = [];
    const l2 = {
      bump: async (deps: string[]) => void bumped.push(deps),
      delete: async (keys: string[]) => void deleted.push(keys),
    };
    await pending.flush(l2 as never, () => undefined);
    expect(bumped).toEqual([['n:default']]);
    expect(deleted).toEqual([]);
    expect(pending.size).toBe(0);
  });
});

describe('PendingInvalidations while a replay is in flight', () => {
  it('replays again an invalidation that failed again while its earlier failure was being replayed', async () => {
    const pending = new PendingInvalidations('n:default');
    pending.addDeps(['t:a']);
    let answer!: () => void;
    const bumped: string[][] = [];
    const l2 = {
      bump: (deps: string[]) => {
        bumped.push(deps);
        // The first replay is held until the test answers it; later ones answer at once.
        return bumped.length === 1 ? new Promise<void>((resolve) => (answer = resolve)) : Promise.resolve();
      },
      delete: async () => 0,
    };
    const flushing = pending.flush(l2 as never, () => undefined);
    // Meanwhile the same tag is invalidated again and that fails too: this one happened after the
    // replay's bump was sent, so that replay does not cover it.
    pending.addDeps(['t:a']);
    answer();
    await flushing;
    expect(bumped).toEqual([['t:a'], ['t:a']]);
    expect(pending.size).toBe(0);
  });

  it('lets concurrent operations share one replay instead of announcing the same list each', async () => {
    const pending = new PendingInvalidations('n:default');
    pending.addDeps(['t:a']);
    const bumped: string[][] = [];
    const l2 = { bump: async (deps: string[]) => void bumped.push(deps), delete: async () => 0 };
    await Promise.all(Array.from({ length: 5 }, () => pending.flush(l2 as never, () => undefined)));
    expect(bumped).toEqual([['t:a']]);
  });
});
