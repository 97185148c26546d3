import type { BusMessage } from '../bus/bus-message.js';
import type { L2Cache, Notify } from '../l2/l2-cache.js';

/**
 * Invalidations that could not reach Redis (it was down). They are replayed before the next L2
 * read or write of this instance succeeds, so entries this instance invalidated during an outage
 * are never served from L2 afterwards. Bounded: past `capacity` the list is replaced by one bump
 * of `overflowDep` (the root namespace: everything), which fails safe instead of losing any.
 */
export class PendingInvalidations {
  private readonly deps = new Set<string>();
  private readonly keys = new Set<string>();
  /** Times the list overflowed and was replaced by a full invalidation. */
  overflows = 0;

  constructor(
    private readonly overflowDep: string,
    private readonly capacity = 100_000,
  ) {}

  get size(): number {
    return this.deps.size + this.keys.size;
  }

  addDeps(deps: Iterable<string>): void {
    for (const dep of deps) this.deps.add(dep);
    this.trim();
  }

  addKeys(keys: Iterable<string>): void {
    for (const key of keys) this.keys.add(key);
    this.trim();
  }

  /**
   * Replays everything pending, each replay published to the other instances by the same script;
   * throws (keeping it pending) if Redis still fails.
   */
  async flush(l2: L2Cache, notify: (message: BusMessage) => Notify | undefined): Promise<void> {
    const deps = [...this.deps];
    const keys = [...this.keys];
    if (deps.length > 0) await l2.bump(deps, notify({ deps }));
    if (keys.length > 0) await l2.delete(keys, notify({ keys }));
    for (const dep of deps) this.deps.delete(dep);
    for (const key of keys) this.keys.delete(key);
  }

  private trim(): void {
    if (this.size <= this.capacity) return;
    this.overflows++;
    this.deps.clear();
    this.keys.clear();
    this.deps.add(this.overflowDep);
  }
}
