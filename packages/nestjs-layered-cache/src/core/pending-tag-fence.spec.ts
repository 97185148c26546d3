import { describe, expect, it } from 'vitest';
import { PendingTagFence } from './pending-tag-fence.js';

describe('pending-tag fence', () => {
  it('fences held tags until every holder released them', () => {
    const fence = new PendingTagFence(60_000, () => undefined);
    fence.hold(['a', 'b']);
    fence.hold(['a']);
    expect(fence.blocks(['n:root', 't:a'])).toBe(true);
    fence.release(['a', 'b']);
    expect(fence.blocks(['t:a'])).toBe(true); // the second transaction still holds it
    expect(fence.blocks(['t:b'])).toBe(false);
    fence.release(['a']);
    expect(fence.blocks(['t:a'])).toBe(false);
  });

  it('drops and invalidates holds whose transaction end was never seen', () => {
    let now = 0;
    const invalidated: string[][] = [];
    const fence = new PendingTagFence(
      1000,
      (tags) => invalidated.push(tags),
      () => now,
    );
    fence.hold(['lost']); // its COMMIT failed: no commit or rollback event will come
    now = 500;
    fence.hold(['open']);
    expect(fence.blocks(['t:lost'])).toBe(true);
    now = 1000;
    expect(fence.blocks(['t:lost'])).toBe(false);
    expect(fence.blocks(['t:open'])).toBe(true);
    expect(invalidated).toEqual([['lost']]);
    expect(fence.expired).toBe(1);
    fence.release(['lost']); // a late release of an expired hold changes nothing
    expect(fence.blocks(['t:open'])).toBe(true);
  });
});
