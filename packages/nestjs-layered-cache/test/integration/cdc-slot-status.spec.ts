import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { cdcLockKey } from '../../src/cdc/cdc.leader.js';
import { uniquePrefix } from '../helpers/cache-instance.js';
import { createCdcApp, dropSlotAndPublication, sqlClient, walLevel, type CdcApp } from '../helpers/cdc-app.js';

const level = await walLevel();
const skip = level !== 'logical' && process.env.TEST_DATABASE_URL !== undefined;

const WAIT = { timeout: 15_000, interval: 25 };

describe.skipIf(skip)('CDC slot status', () => {
  const slot = `nlc_cdc_st_${inject('runId')}_${Math.random().toString(36).slice(2, 8)}`;
  let sql: pg.Client;
  let zombie: pg.Client;
  let app: CdcApp | undefined;

  beforeAll(async () => {
    sql = await sqlClient();
    zombie = await sqlClient();
    await sql.query(`CREATE PUBLICATION "${slot}" FOR TABLE test_widgets`);
    await sql.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [slot]);
  });
  afterAll(async () => {
    await app?.close();
    await zombie?.end();
    await dropSlotAndPublication(sql, slot);
    await sql.end();
  });

  it('reports a slot nobody reads as stuck, with its lag, and recovers when a reader takes it', async () => {
    // A hung leader: it holds the election lock but does not read the slot.
    await zombie.query('SELECT pg_advisory_lock($1::bigint)', [cdcLockKey(slot)]);
    app = await createCdcApp(slot, uniquePrefix('cdc-st'), undefined, { stuckAfterMs: 300 });
    await sql.query(`INSERT INTO test_widgets (name, group_id) VALUES ('lag', 1)`);
    await vi.waitFor(() => {
      const status = app!.cdc.status();
      expect(status.state).toBe('follower');
      expect(status.stuck).toBe(true);
      expect(status.unreadMs).toBeGreaterThan(300);
      expect(status.lagBytes).toBeGreaterThan(0);
    }, WAIT);

    await zombie.query('SELECT pg_advisory_unlock_all()');
    await vi.waitFor(() => {
      const status = app!.cdc.status();
      expect(status.state).toBe('leader');
      expect(status.stuck).toBe(false);
      expect(status.transactions).toBeGreaterThan(0);
    }, WAIT);
  });
});
