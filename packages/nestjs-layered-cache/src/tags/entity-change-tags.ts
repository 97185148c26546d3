import type { EntityMetadata, ObjectLiteral } from 'typeorm';
import { isValidTag } from '../core/namespace-path.js';
import { entityTagName, entityTags } from './entity-tags.js';

/** Extra tags for a changed row, from the row before and after (see EntityInvalidationRule). */
export type EntityTagRuleFn = (
  before: ObjectLiteral | undefined,
  after: ObjectLiteral | undefined,
) => readonly (string | null | undefined)[];

const rulesByDataSource = new WeakMap<object, Map<unknown, EntityTagRuleFn>>();

/**
 * The entity → rule map of one DataSource, shared by everything that turns its changes into tags
 * (the TypeORM subscriber, change data capture), so that both invalidate the same tags for a row.
 */
export function entityRulesOf(dataSource: object): Map<unknown, EntityTagRuleFn> {
  let rules = rulesByDataSource.get(dataSource);
  if (rules === undefined) rulesByDataSource.set(dataSource, (rules = new Map()));
  return rules;
}

/**
 * The tags a change of one row invalidates: the collection, each known row id (else the bulk
 * tag), and the rule's tags. A rule that throws or returns an invalid tag falls back to the bulk
 * tag (reported through `onRuleError`): a broken rule must never lose the invalidation.
 */
export function entityChangeTags(
  metadata: EntityMetadata,
  before: ObjectLiteral | undefined,
  after: ObjectLiteral | undefined,
  options: { entityId?: unknown; rule?: EntityTagRuleFn; onRuleError(error: Error): void },
): string[] {
  const name = entityTagName(metadata.targetName);
  const tags = new Set([entityTags.collection(name)]);
  const ids = [before, after].map((row) => row && idOf(metadata, row)).filter((id) => id !== undefined);
  const { entityId, rule } = options;
  if (ids.length === 0 && entityId !== undefined && typeof entityId !== 'object') ids.push(String(entityId));
  if (ids.length === 0) tags.add(entityTags.bulk(name));
  for (const id of ids) tags.add(entityTags.row(name, id)[0]!);
  if (rule && (before || after)) {
    try {
      for (const tag of rule(before, after)) {
        if (isValidTag(tag)) tags.add(tag);
        else if (tag) throw new Error(`invalid tag ${JSON.stringify(String(tag).slice(0, 80))}`);
      }
    } catch (error) {
      options.onRuleError(error as Error);
      tags.add(entityTags.bulk(name));
    }
  }
  return [...tags];
}

/** The primary key as a string (`42`, or `7,3` for composite keys); undefined when not all known. */
function idOf(metadata: EntityMetadata, row: ObjectLiteral): string | undefined {
  const values = metadata.primaryColumns.map((column) => column.getEntityValue(row));
  return values.every((v) => v !== undefined && v !== null) ? values.join(',') : undefined;
}
