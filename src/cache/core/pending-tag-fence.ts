/**
 * The pending-tag fence (consistency promise 4): while a transaction in this process has written
 * rows whose tags are not yet bumped (it has not committed), fills of entries carrying those tags
 * are returned to their caller but not stored: they may have read uncommitted data, or data the
 * commit is about to invalidate.
 */
export class PendingTagFence {
  /** `t:<tag>` → number of open transactions holding it. */
  private readonly held = new Map<string, number>();

  hold(tags: Iterable<string>): void {
    for (const tag of tags) this.held.set(`t:${tag}`, (this.held.get(`t:${tag}`) ?? 0) + 1);
  }

  release(tags: Iterable<string>): void {
    for (const tag of tags) {
      const count = (this.held.get(`t:${tag}`) ?? 0) - 1;
      if (count > 0) this.held.set(`t:${tag}`, count);
      else this.held.delete(`t:${tag}`);
    }
  }

  /** True if any of an entry's dependencies is held by an open transaction. */
  blocks(deps: readonly string[]): boolean {
    if (this.held.size === 0) return false;
    return deps.some((dep) => this.held.has(dep));
  }
}
