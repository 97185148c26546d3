import { describe, expect, it } from 'vitest';
import type { CacheStatsSnapshot } from '../cache.service.js';
import type { GroupTraffic } from './group-traffic.js';
import { recommend } from './recommendations.js';

const stats = (l1: Partial<NonNullable<CacheStatsSnapshot['l1']>> = {}): CacheStatsSnapshot =>
  ({
    l1: { hits: 0, entries: 10, bytes: 100, maxEntries: 1000, maxBytes: 10_000, evictions: 0, oversized: 0, ...l1 },
    l2: { hits: 0, failing: false },
    errors: 0,
  }) as unknown as CacheStatsSnapshot;
const group = (g: Partial<GroupTraffic>): GroupTraffic => ({
  group: 'product',
  hits: 0,
  staleHits: 0,
  misses: 0,
  sets: 0,
  bytes: 0,
  largest: 0,
  deletes: 0,
  ...g,
});

describe('recommendations', () => {
  it('flags a low hit rate with the likely cause and the numbers', () => {
    const [churn] = recommend({ stats: stats(), groups: [group({ hits: 20, misses: 180, sets: 180 })] });
    expect(churn).toMatchObject({ id: 'low-hit-rate', group: 'product', evidence: { reads: 200, hitRatePercent: 10 } });
    expect(churn!.advice).toMatch(/TTL is likely too short/);
    const [wide] = recommend({ stats: stats(), groups: [group({ group: 'search', hits: 40, misses: 160, sets: 10 })] });
    expect(wide!.advice).toMatch(/key space is wide/);
    expect(recommend({ stats: stats(), groups: [group({ hits: 5, misses: 50 })] })).toEqual([]);
    expect(recommend({ stats: stats(), groups: [group({ hits: 900, misses: 100 })] })).toEqual([]);
  });

  it('flags a full, evicting L1, oversized values and Redis evictions', () => {
    const ids = recommend({
      stats: stats({ bytes: 9_800, evictions: 50, oversized: 3 }),
      groups: [group({ largest: 2_000_000 })],
      redis: { evictedKeys: 7, usedMemory: 1, maxMemory: 1 },
    }).map((r) => r.id);
    expect(ids).toEqual(['l1-too-small', 'oversized-values', 'redis-evicting']);
    expect(recommend({ stats: stats({ evictions: 50 }), groups: [] })).toEqual([]);
  });
});
