/**
 * The consistency bookkeeping of bench/soak.bench.ts: the rule of
 * test/consistency/consistency-checker.spec.ts, extended to writers on both instances.
 */

export type Side = 0 | 1;
const ROW_DEP = /^t:row:(\d+)$/;

/**
 * What each instance must at least return for a row. A read on side X must not return a version
 * older than (a) the newest version whose write returned on X before the read began, nor (b) the
 * newest version whose `row:<id>` invalidation X had received over the bus before it began.
 * Writes of a row are serialized (one at a time across both sides, as in the checker), so each
 * side's invalidations of a row reach the other side in the order they were announced here: the
 * n-th bus message naming `t:row:<id>` on X is the n-th version Y announced. A message that
 * matches nothing announced is counted (`unmatched`) and ignored, which can only weaken the check.
 */
export class ConsistencyTracker {
  private readonly own = [new Map<number, number>(), new Map<number, number>()];
  private readonly heard = [new Map<number, number>(), new Map<number, number>()];
  /** Per receiving side: versions the other side announced for a row, not yet heard. */
  private readonly inFlight = [new Map<number, number[]>(), new Map<number, number[]>()];
  private readonly locks = new Map<number, Promise<void>>();
  violations = 0;
  unmatched = 0;
  messagesMatched = 0;
  readonly examples: string[] = [];

  required(side: Side, id: number): number {
    return Math.max(this.own[side].get(id) ?? 0, this.heard[side].get(id) ?? 0);
  }

  /** `side` is about to invalidate `row:<id>` at `version`: the other side will hear it next. */
  announce(side: Side, id: number, version: number): void {
    const queues = this.inFlight[side === 0 ? 1 : 0];
    const queue = queues.get(id);
    if (queue) queue.push(version);
    else queues.set(id, [version]);
  }

  /** A write of `version` returned on `side`. */
  returned(side: Side, id: number, version: number): void {
    if (version > (this.own[side].get(id) ?? 0)) this.own[side].set(id, version);
  }

  /** The bus listener of `side`: maps each `t:row:<id>` it names to the version announced. */
  heardDeps(side: Side, deps: readonly string[]): void {
    for (const dep of deps) {
      const match = ROW_DEP.exec(dep);
      if (!match) continue;
      const id = Number(match[1]);
      const queue = this.inFlight[side].get(id);
      const version = queue?.shift();
      if (queue?.length === 0) this.inFlight[side].delete(id);
      if (version === undefined) {
        this.unmatched++;
        continue;
      }
      this.messagesMatched++;
      if (version > (this.heard[side].get(id) ?? 0)) this.heard[side].set(id, version);
    }
  }

  check(side: Side, id: number, required: number, got: number, how: string): void {
    if (got >= required) return;
    this.violations++;
    if (this.examples.length < 10) {
      const own = this.own[side].get(id) ?? 0;
      const heard = this.heard[side].get(id) ?? 0;
      this.examples.push(
        `${side ? 'B' : 'A'} ${how} row ${id} = v${got}, required ≥ v${required} (by the end of the read: own write v${own}, heard v${heard})`,
      );
    }
  }

  /** Runs `write` while holding row `id` (one write per row at a time, across both instances). */
  async withRow<T>(id: number, write: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.locks.set(id, mine);
    await previous;
    try {
      return await write();
    } finally {
      release();
      if (this.locks.get(id) === mine) this.locks.delete(id);
    }
  }

  /** Announced versions still waiting for their bus message (should drain to 0 at the end). */
  get pendingMessages(): number {
    let n = 0;
    for (const queues of this.inFlight) for (const queue of queues.values()) n += queue.length;
    return n;
  }
}
