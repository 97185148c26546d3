import type { DataSource, EntityMetadata } from 'typeorm';
import type { RowChange } from './write-behind.interface.js';

export const APPLIED_TABLE = 'cache_write_behind_batches';
export const VERSIONS_TABLE = 'cache_write_behind_versions';

/**
 * The database side: applies one batch in one transaction, exactly once and in order.
 * - The batch id goes into APPLIED_TABLE first: a batch replayed after a crash finds its id there
 *   and changes nothing (so an increment is never counted twice).
 * - Per row, VERSIONS_TABLE keeps the newest write sequence applied: a set from an older batch
 *   never overwrites a newer one (increments commute and always apply).
 * - All rows change in one `UPDATE … FROM (VALUES …)` statement.
 */
export class WriteBehindApplier {
  /** Statements sent, for the benchmark and tests. */
  statements = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: string,
    private readonly target: new (...args: never[]) => object,
  ) {}

  /** 'applied', or 'duplicate' when this batch was applied before (a replay after a crash). */
  async apply(batch: string, rows: ReadonlyMap<string, RowChange>): Promise<'applied' | 'duplicate'> {
    const meta = this.dataSource.getMetadata(this.target);
    return this.dataSource.transaction(async (tx) => {
      const query = (sql: string, params: unknown[]) => {
        this.statements++;
        return tx.query(sql, params) as Promise<unknown[]>;
      };
      const fresh = await query(
        `INSERT INTO ${APPLIED_TABLE} (batch_id, entity, rows) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING batch_id`,
        [batch, this.entity, rows.size],
      );
      if (fresh.length === 0) return 'duplicate';
      const ids = [...rows.keys()];
      const applied = new Map(
        (
          (await query(`SELECT row_id, seq FROM ${VERSIONS_TABLE} WHERE entity = $1 AND row_id = ANY($2) FOR UPDATE`, [
            this.entity,
            ids,
          ])) as { row_id: string; seq: string }[]
        ).map((r) => [r.row_id, Number(r.seq)]),
      );
      await this.update(query, meta, rows, applied);
      await query(
        `INSERT INTO ${VERSIONS_TABLE} (entity, row_id, seq) SELECT $1, * FROM unnest($2::text[], $3::bigint[])
         ON CONFLICT (entity, row_id) DO UPDATE SET seq = GREATEST(${VERSIONS_TABLE}.seq, EXCLUDED.seq)`,
        [this.entity, ids, ids.map((id) => rows.get(id)!.seq)],
      );
      return 'applied';
    });
  }

  private async update(
    query: (sql: string, params: unknown[]) => Promise<unknown[]>,
    meta: EntityMetadata,
    rows: ReadonlyMap<string, RowChange>,
    applied: ReadonlyMap<string, number>,
  ): Promise<void> {
    const setFields = new Set<string>();
    const incFields = new Set<string>();
    for (const change of rows.values()) {
      Object.keys(change.set).forEach((f) => setFields.add(f));
      Object.keys(change.increment).forEach((f) => incFields.add(f));
    }
    const column = (property: string) => {
      const c = meta.findColumnWithPropertyName(property);
      if (!c) throw new Error(`${meta.name} has no column for property "${property}"`);
      return { name: c.databaseName, type: this.dataSource.driver.normalizeType(c) };
    };
    const pk = meta.primaryColumns[0]!;
    const pkType = this.dataSource.driver.normalizeType(pk);
    const sets = [...setFields].map((f) => ({ field: f, ...column(f) }));
    const incs = [...incFields].map((f) => ({ field: f, ...column(f) }));
    const params: unknown[] = [];
    const p = (value: unknown, type: string) => `$${params.push(value)}::${type}`;
    const values = [...rows].map(([id, change]) => {
      // A set older than what the row already has from a later batch is dropped; deltas still count.
      const setsApply = change.seq > (applied.get(id) ?? 0);
      const cells = [p(id, pkType)];
      for (const s of sets) {
        const present = setsApply && s.field in change.set;
        cells.push(p(present, 'boolean'), p(present ? change.set[s.field] : null, s.type));
      }
      for (const i of incs) cells.push(p(change.increment[i.field] ?? 0, i.type));
      return `(${cells.join(', ')})`;
    });
    const names = ['id', ...sets.flatMap((_, k) => [`s${k}_set`, `s${k}`]), ...incs.map((_, k) => `i${k}`)];
    const assignments = [
      ...sets.map((s, k) => `"${s.name}" = CASE WHEN v.s${k}_set THEN v.s${k} ELSE t."${s.name}" END`),
      ...incs.map((i, k) => `"${i.name}" = t."${i.name}" + v.i${k}`),
    ];
    if (assignments.length === 0) return;
    await query(
      `UPDATE "${meta.tableName}" AS t SET ${assignments.join(', ')}
       FROM (VALUES ${values.join(', ')}) AS v(${names.join(', ')})
       WHERE t."${pk.databaseName}" = v.id`,
      params,
    );
  }
}
