import type { DataSource, EntityMetadata, ObjectLiteral } from 'typeorm';
import { isValidTag } from '../core/namespace-path.js';
import { entityChangeTags, entityRulesOf } from '../tags/entity-change-tags.js';
import { entityTagName, entityTags } from '../tags/entity-tags.js';
import type { CdcInvalidationOptions, TableTagRule } from './cdc-options.interface.js';

/** A decoded row change, as pgoutput delivers it (column name → value). */
export interface RowChange {
  schema: string;
  table: string;
  kind: 'insert' | 'update' | 'delete';
  /** The old row: complete with REPLICA IDENTITY FULL, else only the key columns (or nothing). */
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown> | undefined;
  /** REPLICA IDENTITY FULL: `before` holds every column. */
  fullBefore: boolean;
}

/**
 * Table → entity → tags, from the DataSource's metadata and the rules the subscriber registered
 * for it (entityRulesOf), so a change invalidates what the subscriber would have invalidated.
 */
export class CdcTableMap {
  private readonly entities = new Map<string, EntityMetadata>();
  private readonly rules = new Map<string, TableTagRule>();
  /** Qualified names (`schema.table`) of every table to publish. */
  readonly tables: string[];

  constructor(
    private readonly dataSource: DataSource,
    options: Pick<CdcInvalidationOptions, 'exclude' | 'tables'>,
    private readonly onRuleError: (table: string, error: Error) => void,
  ) {
    const defaultSchema = (dataSource.options as { schema?: string }).schema ?? 'public';
    const qualify = (name: string) => (name.includes('.') ? name : `${defaultSchema}.${name}`);
    const excluded = new Set((options.exclude ?? []).map(qualify));
    for (const metadata of dataSource.entityMetadatas) {
      if (metadata.tableType !== 'regular' && metadata.tableType !== 'entity-child') continue;
      const name = `${metadata.schema ?? defaultSchema}.${metadata.tableName}`;
      if (!excluded.has(name)) this.entities.set(name, metadata);
    }
    for (const [table, rule] of Object.entries(options.tables ?? {})) this.rules.set(qualify(table), rule);
    this.tables = [...new Set([...this.entities.keys(), ...this.rules.keys()])];
  }

  /** The tags one row change invalidates. */
  tagsOf(change: RowChange): string[] {
    const name = `${change.schema}.${change.table}`;
    const metadata = this.entities.get(name);
    if (metadata) return this.entityTags(metadata, change);
    const rule = this.rules.get(name);
    if (!rule) return [];
    try {
      return rule(change.before, change.after).filter((tag): tag is string => isValidTag(tag));
    } catch (error) {
      this.onRuleError(name, error as Error);
      return [];
    }
  }

  /** TRUNCATE: every row of the table is gone and none is known. */
  truncated(schema: string, table: string): string[] {
    const metadata = this.entities.get(`${schema}.${table}`);
    if (!metadata) return [];
    const name = entityTagName(metadata.targetName);
    return [entityTags.collection(name), entityTags.bulk(name)];
  }

  private entityTags(metadata: EntityMetadata, change: RowChange): string[] {
    const after = change.after && toEntity(metadata, change.after);
    const before = change.before && toEntity(metadata, change.before);
    const rule = entityRulesOf(this.dataSource).get(metadata.target);
    // Without REPLICA IDENTITY FULL the old row holds only its key: the rule cannot see what the row
    // belonged to (its old category), so the bulk tag stands in for the rule's old-row tags.
    const partial = change.kind !== 'insert' && !change.fullBefore;
    const tags = entityChangeTags(metadata, partial ? undefined : before, after, {
      entityId: partial && before ? idOf(metadata, before) : undefined,
      rule,
      onRuleError: (error) => this.onRuleError(metadata.tableName, error),
    });
    if (partial && rule) tags.push(entityTags.bulk(entityTagName(metadata.targetName)));
    return tags;
  }

  /** Tables with rules whose old row is incomplete (no REPLICA IDENTITY FULL). */
  hasRule(schema: string, table: string): boolean {
    const metadata = this.entities.get(`${schema}.${table}`);
    return metadata !== undefined && entityRulesOf(this.dataSource).has(metadata.target);
  }
}

/** A row's columns under the entity's property names (embedded ones included). */
function toEntity(metadata: EntityMetadata, row: Record<string, unknown>): ObjectLiteral {
  const entity: ObjectLiteral = {};
  for (const column of metadata.columns) {
    const value = row[column.databaseName];
    if (value !== undefined) column.setEntityValue(entity, value);
  }
  return entity;
}

function idOf(metadata: EntityMetadata, row: ObjectLiteral): string | undefined {
  const values = metadata.primaryColumns.map((column) => column.getEntityValue(row));
  return values.every((v) => v !== undefined && v !== null) ? values.join(',') : undefined;
}
