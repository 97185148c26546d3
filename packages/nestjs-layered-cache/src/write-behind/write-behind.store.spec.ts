import { describe, expect, it } from 'vitest';
import { mergeChanges, parseRowChange } from './write-behind.store.js';

describe('write-behind row changes', () => {
  it('parses a row hash and merges changes oldest first: sets last-write-wins, deltas add up', () => {
    const a = parseRowChange(['s:title', '"a"', 'i:views', '2', 'q', '5']);
    expect(a).toEqual({ set: { title: 'a' }, increment: { views: 2 }, seq: 5 });
    const b = parseRowChange(['s:title', '"b"', 's:seen', '"2026-01-01T00:00:00.000Z"', 'i:views', '3', 'q', '9']);
    expect(mergeChanges([b, a])).toEqual({
      set: { title: 'b', seen: '2026-01-01T00:00:00.000Z' },
      increment: { views: 5 },
      seq: 9,
    });
  });
});
