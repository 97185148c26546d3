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
  it('keeps an invalidation that failed again while its earlier failure was being replayed', async () => {
    const pending = new PendingInvalidations('n:default');
    pending.addDeps(['t:a']);
    pending.addKeys(['k1']);
    let answer!: () => void;
    const l2 = {
      bump: () => new Promise<void>((resolve) => (answer = resolve)),
      delete: async () => 0,
    };
    const flushing = pending.flush(l2 as never, () => undefined);
    // Meanwhile the same tag and key are invalidated again and that fails too: this one happened
    // after the replay's bump was sent, so the replay does not cover it.
    pending.addDeps(['t:a']);
    pending.addKeys(['k1']);
    answer();
    await flushing;
    expect(pending.size).toBe(2);
  });
});
