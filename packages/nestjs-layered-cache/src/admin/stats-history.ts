import type { CacheStatsSnapshot } from '../cache.service.js';

/** One sample of the dashboard's charts; rates are per second over the sampling interval. */
export interface StatsSample {
  /** Epoch ms. */
  at: number;
  l1HitRate: number | null;
  l2HitRate: number | null;
  hitRate: number | null;
  requestsPerSecond: number;
  invalidationsPerSecond: number;
  l1Bytes: number;
  l1MaxBytes: number;
  httpHitRate: number | null;
}

/** A fixed-size ring of samples: per instance, in memory, oldest dropped first. */
export class StatsHistory {
  private readonly samples: StatsSample[] = [];
  private last: { at: number; stats: CacheStatsSnapshot } | undefined;

  constructor(private readonly size = 360) {}

  add(stats: CacheStatsSnapshot, at = Date.now()): void {
    const prev = this.last;
    this.last = { at, stats };
    if (!prev) return;
    const seconds = Math.max(0.001, (at - prev.at) / 1000);
    const d = (f: (s: CacheStatsSnapshot) => number) => Math.max(0, f(stats) - f(prev.stats));
    const l1 = d((s) => s.l1?.hits ?? 0);
    const l2 = d((s) => s.l2?.hits ?? 0);
    const stale = d((s) => s.staleHits);
    const misses = d((s) => s.misses);
    const reads = l1 + l2 + stale + misses;
    const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
    const httpHits = d((s) => s.http.hits + s.http.notModified);
    const httpAll = httpHits + d((s) => s.http.misses + s.http.stale + s.http.bypasses);
    this.samples.push({
      at,
      l1HitRate: rate(l1, reads),
      // Of the reads L1 did not answer, the share L2 did.
      l2HitRate: rate(l2, reads - l1),
      hitRate: rate(l1 + l2 + stale, reads),
      requestsPerSecond: reads / seconds,
      invalidationsPerSecond: d((s) => s.invalidations) / seconds,
      l1Bytes: stats.l1?.bytes ?? 0,
      l1MaxBytes: stats.l1?.maxBytes ?? 0,
      httpHitRate: rate(httpHits, httpAll),
    });
    if (this.samples.length > this.size) this.samples.shift();
  }

  all(): StatsSample[] {
    return [...this.samples];
  }
}
