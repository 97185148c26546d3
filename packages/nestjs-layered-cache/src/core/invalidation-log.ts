/**
 * The local fence: remembers, for recently invalidated dependencies and keys, the sequence number
 * of their last invalidation. A fill that started at sequence `s` may store into L1 only if none of
 * its dependencies was invalidated after `s`. The log is bounded; a fill older than what it still
 * remembers is treated as "something may have changed" (never stores stale, may skip a store).
 */
export class InvalidationLog {
  private readonly last = new Map<string, number>();
  private seq = 0;
  private floor = 0;

  constructor(private readonly capacity = 10_000) {}

  get current(): number {
    return this.seq;
  }

  record(ids: Iterable<string>): void {
    const seq = ++this.seq;
    for (const id of ids) {
      this.last.delete(id);
      this.last.set(id, seq);
    }
    while (this.last.size > this.capacity) {
      const [oldest, at] = this.last.entries().next().value as [string, number];
      this.last.delete(oldest);
      this.floor = at;
    }
  }

  /** Treats everything as changed now (e.g. messages may have been missed). */
  invalidateAll(): void {
    this.floor = ++this.seq;
  }

  changedSince(start: number, ids: readonly string[]): boolean {
    if (start === this.seq) return false;
    if (start < this.floor) return true;
    for (const id of ids) if ((this.last.get(id) ?? 0) > start) return true;
    return false;
  }
}
