/** Keeps label cardinality bounded: the first `max` groups keep their name, later ones become `_other`. */
export class GroupLimiter {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  label(group: string): string {
    if (this.seen.has(group)) return group;
    if (this.seen.size >= this.max) return '_other';
    this.seen.add(group);
    return group;
  }
}
