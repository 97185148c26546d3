import type { QueryRunner } from 'typeorm';

/**
 * Tags collected per QueryRunner while its transaction is open. They are bumped after the outer
 * commit and dropped on the outer rollback (a savepoint rollback keeps them: an extra bump is safe).
 */
export class TransactionTagBuffer {
  private readonly byRunner = new WeakMap<QueryRunner, Set<string>>();

  add(runner: QueryRunner, tags: Iterable<string>): string[] {
    let set = this.byRunner.get(runner);
    if (set === undefined) this.byRunner.set(runner, (set = new Set()));
    const added: string[] = [];
    for (const tag of tags) {
      if (set.has(tag)) continue;
      set.add(tag);
      added.push(tag);
    }
    return added;
  }

  take(runner: QueryRunner): string[] {
    const tags = this.byRunner.get(runner);
    this.byRunner.delete(runner);
    return tags ? [...tags] : [];
  }
}
