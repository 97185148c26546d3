import { describe, expect, it } from 'vitest';
import type { CacheStatsSnapshot } from '../cache.service.js';
import { StatsHistory } from './stats-history.js';

const snapshot = (l1Hits: number, l2Hits: number, misses: number, bytes = 100): CacheStatsSnapshot =>
  ({
    l1: { hits: l1Hits, entries: 1, bytes, maxEntries: 10, maxBytes: 1000, evictions: 0, oversized: 0 },
    l2: { hits: l2Hits, failing: false },
    staleHits: 0,
    misses,
    invalidations: 0,
    http: { hits: 0, misses: 0, stale: 0, bypasses: 0, notModified: 0, evictions: 0, errors: 0 },
  }) as unknown as CacheStatsSnapshot;

describe('stats history', () => {
  it('turns counter deltas into rates per interval, and keeps a bounded ring', () => {
    const history = new StatsHistory(2);
    history.add(snapshot(0, 0, 0), 0);
    history.add(snapshot(60, 20, 20), 2000);
    expect(history.all()).toEqual([
      expect.objectContaining({ at: 2000, l1HitRate: 0.6, l2HitRate: 0.5, hitRate: 0.8, requestsPerSecond: 50 }),
    ]);
    history.add(snapshot(60, 20, 20), 4000);
    history.add(snapshot(70, 20, 20), 6000);
    const samples = history.all();
    expect(samples.map((s) => s.at)).toEqual([4000, 6000]);
    expect(samples[0]!.hitRate).toBeNull();
    expect(samples[1]!.l1HitRate).toBe(1);
  });
});
