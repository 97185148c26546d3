/**
 * The pending-tag fence (consistency promise 4): while a transaction in this process has written
 * rows whose tags are not yet bumped (it has not committed), fills of entries carrying those tags
 * are returned to their caller but not stored: they may have read uncommitted data, or data the
 * commit is about to invalidate.
 *
 * A hold lasts at most `maxHold` ms: when a COMMIT or ROLLBACK fails (the connection died), TypeORM
 * reports neither, and the tags would be fenced forever. An expired hold is handed to `onExpired`,
 * which invalidates the tags (the commit may have happened; an extra bump is always safe).
 */
export class PendingTagFence {
  /** `t:<tag>` → open transactions holding it, and when the latest hold expires. */
  private readonly held = new Map<string, { count: number; until: number }>();
  private nextExpiry = Infinity;
  /** Tags whose hold expired (their transaction's end was never seen). */
  expired = 0;

  constructor(
    private readonly maxHold: number,
    private readonly onExpired: (tags: string[]) => void,
    private readonly now: () => number = Date.now,
  ) {}

  hold(tags: Iterable<string>): void {
    const until = this.now() + this.maxHold;
    for (const tag of tags) {
      const dep = `t:${tag}`;
      this.held.set(dep, { count: (this.held.get(dep)?.count ?? 0) + 1, until });
      this.nextExpiry = Math.min(this.nextExpiry, until);
    }
  }

  release(tags: Iterable<string>): void {
    for (const tag of tags) {
      const entry = this.held.get(`t:${tag}`);
      if (entry === undefined) continue;
      if (--entry.count <= 0) this.held.delete(`t:${tag}`);
    }
  }

  /** True if any of an entry's dependencies is held by an open transaction. */
  blocks(deps: readonly string[]): boolean {
    if (this.held.size === 0) return false;
    this.expire();
    return deps.some((dep) => this.held.has(dep));
  }

  private expire(): void {
    const now = this.now();
    if (now < this.nextExpiry) return;
    const gone: string[] = [];
    let next = Infinity;
    for (const [dep, { until }] of this.held) {
      if (until > now) next = Math.min(next, until);
      else {
        this.held.delete(dep);
        gone.push(dep.slice(2));
      }
    }
    this.nextExpiry = next;
    if (gone.length === 0) return;
    this.expired += gone.length;
    this.onExpired(gone);
  }
}
