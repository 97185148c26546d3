import type { CacheStatsSnapshot } from '../cache.service.js';
import type { GroupTraffic } from './group-traffic.js';

export interface Recommendation {
  /** Stable id, e.g. `low-hit-rate`. */
  id: string;
  severity: 'info' | 'warning';
  /** The key group it is about, when it is about one. */
  group?: string;
  advice: string;
  /** The numbers that led to it. */
  evidence: Record<string, number>;
}

export interface RecommendationInput {
  stats: CacheStatsSnapshot;
  groups: readonly GroupTraffic[];
  /** From Redis INFO, when Redis answered. */
  redis?: { evictedKeys: number; usedMemory: number; maxMemory: number };
  /** Reads a group needs before its hit rate is judged. */
  minReads?: number;
}

const pct = (x: number) => Math.round(x * 1000) / 10;

/**
 * Concrete advice from live numbers (the seeds' "optimize"): every item names the numbers it comes
 * from, so an operator can check it rather than trust it.
 */
export function recommend({ stats, groups, redis, minReads = 100 }: RecommendationInput): Recommendation[] {
  const out: Recommendation[] = [];
  for (const g of groups) {
    const reads = g.hits + g.staleHits + g.misses;
    if (reads < minReads) continue;
    const hitRate = (g.hits + g.staleHits) / reads;
    if (hitRate >= 0.5) continue;
    // Many stores per read: entries die (TTL) or are invalidated before anyone reads them again.
    const churn = g.sets / Math.max(1, g.hits + g.staleHits);
    out.push({
      id: 'low-hit-rate',
      severity: 'warning',
      group: g.group,
      advice:
        churn >= 1
          ? `"${g.group}" is stored about as often as it is read: its TTL is likely too short to be reused, or its tags are invalidated on every write. Raise the TTL (or add grace), or tag more narrowly.`
          : `"${g.group}" misses mostly on keys never stored before: the key space is wide (unique ids, query strings). Cache a coarser result, or warm the hot keys.`,
      evidence: { reads, hitRatePercent: pct(hitRate), sets: g.sets, setsPerHit: Math.round(churn * 100) / 100 },
    });
  }
  const l1 = stats.l1;
  if (l1 && l1.evictions > 0) {
    const full = l1.bytes / Math.max(1, l1.maxBytes);
    const entriesFull = l1.entries / Math.max(1, l1.maxEntries);
    if (full > 0.9 || entriesFull > 0.9) {
      out.push({
        id: 'l1-too-small',
        severity: 'warning',
        advice: `L1 is full (${pct(Math.max(full, entriesFull))}%) and has evicted ${l1.evictions} entries: the working set does not fit. Raise l1.maxBytes / l1.maxEntries, or shorten TTLs of cold groups.`,
        evidence: {
          bytes: l1.bytes,
          maxBytes: l1.maxBytes,
          entries: l1.entries,
          maxEntries: l1.maxEntries,
          evictions: l1.evictions,
        },
      });
    }
  }
  if (l1 && l1.oversized > 0) {
    const biggest = [...groups].sort((a, b) => b.largest - a.largest)[0];
    out.push({
      id: 'oversized-values',
      severity: 'info',
      group: biggest?.group,
      advice: `${l1.oversized} value(s) were larger than l1.maxEntryBytes and live in Redis only${biggest ? ` (largest in "${biggest.group}": ${biggest.largest} bytes)` : ''}. Cache smaller projections, or raise l1.maxEntryBytes if they are hot.`,
      evidence: { oversized: l1.oversized, largestBytes: biggest?.largest ?? 0 },
    });
  }
  if (redis && redis.evictedKeys > 0) {
    out.push({
      id: 'redis-evicting',
      severity: 'warning',
      advice: `Redis has evicted ${redis.evictedKeys} keys under memory pressure: entries (and tag versions, which then read as changed) disappear early. Raise maxmemory or lower TTLs.`,
      evidence: { evictedKeys: redis.evictedKeys, usedMemoryBytes: redis.usedMemory, maxMemoryBytes: redis.maxMemory },
    });
  }
  if (stats.errors > 0 && stats.l2?.failing) {
    out.push({
      id: 'redis-failing',
      severity: 'warning',
      advice:
        'Redis operations are failing right now: the cache serves from L1 (if the bus is up) and the loaders. Check Redis.',
      evidence: { errors: stats.errors },
    });
  }
  return out;
}
