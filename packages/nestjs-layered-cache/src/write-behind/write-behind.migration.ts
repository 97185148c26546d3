import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPLIED_TABLE, VERSIONS_TABLE } from './write-behind.applier.js';

/**
 * The two bookkeeping tables of write-behind; add it to your DataSource's `migrations`.
 * Applied batch ids make replays idempotent; row versions keep older batches from overwriting newer.
 */
export class CacheWriteBehind1763900000000 implements MigrationInterface {
  name = 'CacheWriteBehind1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ${APPLIED_TABLE} (
        batch_id varchar(64) PRIMARY KEY,
        entity varchar(64) NOT NULL,
        rows integer NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX ${APPLIED_TABLE}_applied_idx ON ${APPLIED_TABLE} (applied_at)`);
    await runner.query(`
      CREATE TABLE ${VERSIONS_TABLE} (
        entity varchar(64) NOT NULL,
        row_id text NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (entity, row_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${VERSIONS_TABLE}`);
    await runner.query(`DROP TABLE ${APPLIED_TABLE}`);
  }
}
