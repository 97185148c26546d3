import type { ObjectLiteral } from 'typeorm';

/** Extra tags an entity change invalidates, computed from the row before and after the change. */
export interface EntityInvalidationRule<E extends ObjectLiteral = ObjectLiteral> {
  entity: abstract new (...args: never[]) => E;
  /**
   * Tags to invalidate. `before` is undefined for inserts, `after` for removals. Called only when
   * the rows are known (save/insert/remove); criteria-based `update()`/`delete()` bump the entity's
   * collection and bulk tags instead (see `entityTags`).
   */
  // Method syntax on purpose: rules for different entities fit in one `rules` array.
  tags(before: E | undefined, after: E | undefined): readonly (string | null | undefined)[];
}

export interface CacheInvalidationOptions {
  /** Name of the TypeORM DataSource to watch (as given to TypeOrmModule). Default: the default one. */
  dataSource?: string;
  /** Per-entity rules adding tags to the defaults. */
  rules?: readonly EntityInvalidationRule[];
}
