import type { CacheService } from '../cache.service.js';

export interface GroupTraffic {
  group: string;
  hits: number;
  staleHits: number;
  misses: number;
  sets: number;
  /** Bytes stored (serialized), and the largest single value seen, bytes. */
  bytes: number;
  largest: number;
  /** Tag invalidations are global, so they are not per group; key deletes are. */
  deletes: number;
}

/** Traffic per key group since boot, from the engine's events; at most `max` groups (then `_other`). */
export class GroupTrafficTracker {
  private readonly groups = new Map<string, GroupTraffic>();
  private readonly off: (() => void)[];

  constructor(
    cache: CacheService,
    private readonly max = 200,
  ) {
    this.off = [
      cache.on('hit', (e) => {
        const g = this.of(e.group);
        if (e.stale) g.staleHits++;
        else g.hits++;
      }),
      cache.on('miss', (e) => this.of(e.group).misses++),
      cache.on('set', (e) => {
        const g = this.of(e.group);
        g.sets++;
        g.bytes += e.bytes;
        g.largest = Math.max(g.largest, e.bytes);
      }),
      cache.on('delete', (e) => this.of(e.group).deletes++),
    ];
  }

  /** Groups by reads (hits + misses), busiest first. */
  top(n: number): GroupTraffic[] {
    const reads = (g: GroupTraffic) => g.hits + g.staleHits + g.misses;
    return [...this.groups.values()]
      .sort((a, b) => reads(b) - reads(a))
      .slice(0, n)
      .map((g) => ({ ...g }));
  }

  close(): void {
    for (const off of this.off) off();
  }

  private of(name: string): GroupTraffic {
    let g = this.groups.get(name);
    if (!g) {
      if (this.groups.size >= this.max) return this.of('_other');
      g = { group: name, hits: 0, staleHits: 0, misses: 0, sets: 0, bytes: 0, largest: 0, deletes: 0 };
      this.groups.set(name, g);
    }
    return g;
  }
}
