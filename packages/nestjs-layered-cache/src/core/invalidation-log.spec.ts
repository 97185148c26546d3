import { describe, expect, it } from 'vitest';
import { InvalidationLog } from './invalidation-log.js';

describe('InvalidationLog (the local fence)', () => {
  it('reports only dependencies invalidated after the fill started', () => {
    const log = new InvalidationLog();
    log.record(['t:a']);
    const start = log.current;
    expect(log.changedSince(start, ['t:a'])).toBe(false);
    log.record(['t:b']);
    expect(log.changedSince(start, ['t:a'])).toBe(false);
    expect(log.changedSince(start, ['t:a', 't:b'])).toBe(true);
  });

  it('treats every earlier fill as changed after invalidateAll', () => {
    const log = new InvalidationLog();
    const start = log.current;
    log.invalidateAll();
    expect(log.changedSince(start, ['t:anything'])).toBe(true);
    expect(log.changedSince(log.current, ['t:anything'])).toBe(false);
  });

  it('answers "changed" for fills older than what it still remembers', () => {
    const log = new InvalidationLog(2);
    const start = log.current;
    log.record(['t:1']);
    log.record(['t:2']);
    log.record(['t:3']);
    expect(log.changedSince(start, ['t:unrelated'])).toBe(true);
    expect(log.changedSince(log.current, ['t:unrelated'])).toBe(false);
  });
});
