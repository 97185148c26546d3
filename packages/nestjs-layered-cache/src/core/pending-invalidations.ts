import type { BusMessage } from '../bus/bus-message.js';
import type { L2Cache, Notify } from '../l2/l2-cache.js';

/**
 * Invalidations that could not reach Redis (it was down). They are replayed before the next L2
 * read or write of this instance succeeds, so entries this instance invalidated during an outage
 * are never served from L2 afterwards. Bounded: past `capacity` the list is replaced by one bump
 * of `overflowDep` (the root namespace: everything), which fails safe instead of losing any.
 */
export class PendingInvalidations {
  /** Each pending dependency or key with the number of the failure that (last) added it. */
  private readonly deps = new Map<string, number>();
  private readonly keys = new Map<string, number>();
  private added = 0;
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
    const at = ++this.added;
    for (const dep of deps) this.deps.set(dep, at);
    this.trim();
  }

  addKeys(keys: Iterable<string>): void {
    const at = ++this.added;
    for (const key of keys) this.keys.set(key, at);
    this.trim();
  }

  /**
   * Replays everything pending, each replay published to the other instances by the same script;
   * throws (keeping it pending) if Redis still fails. What failed again while the replay was on its
   * way stays pending: that invalidation came after the replay's, which does not cover it.
   */
  async flush(l2: L2Cache, notify: (message: BusMessage) => Notify | undefined): Promise<void> {
    // Concurrent operations share one replay (each would bump and announce the same list again);
    // one that joined a replay whose list predates what is pending now runs, or joins, one more.
    for (let round = 0; round < 2 && this.size > 0; round++) {
      this.flushing ??= this.replay(l2, notify).finally(() => (this.flushing = undefined));
      await this.flushing;
    }
  }

  private flushing: Promise<void> | undefined;

  private async replay(l2: L2Cache, notify: (message: BusMessage) => Notify | undefined): Promise<void> {
    const deps = new Map(this.deps);
    const keys = new Map(this.keys);
    if (deps.size > 0) await l2.bump([...deps.keys()], notify({ deps: [...deps.keys()] }));
    if (keys.size > 0) await l2.delete([...keys.keys()], notify({ keys: [...keys.keys()] }));
    for (const [dep, at] of deps) if (this.deps.get(dep) === at) this.deps.delete(dep);
    for (const [key, at] of keys) if (this.keys.get(key) === at) this.keys.delete(key);
  }

  private trim(): void {
    if (this.size <= this.capacity) return;
    this.overflows++;
    this.deps.clear();
    this.keys.clear();
    this.deps.set(this.overflowDep, ++this.added);
  }
}
