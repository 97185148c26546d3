import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { startE2eApp } from '../helpers/e2e-app.js';

/**
 * The server ends a connection that is checked out of the pool (a restart or stop, an admin's
 * pg_terminate_backend, idle_in_transaction_session_timeout). pg-pool listens only on idle clients:
 * unguarded, the checked-out client emits `error` with no listener and the process exits (seen in
 * the database-outage test, when Postgres stopped under a TypeORM call); vitest fails this file on it.
 */
describe('sample app when Postgres ends a connection in use', () => {
  let running: RunningApp;
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });

  beforeAll(async () => {
    running = await startE2eApp();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await running?.close();
  });

  it('survives, fails that connection only, and keeps serving from the pool', async () => {
    const dataSource = running.app.get(DataSource);
    const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);

    // The held connection is gone: its next query fails, and nothing else does.
    await vi.waitFor(
      async () =>
        expect(
          await client.query('SELECT 1').then(
            () => 'answered',
            () => 'failed',
          ),
        ).toBe('failed'),
      { timeout: 10_000 },
    );
    client.release(true);
    await request(running.app.getHttpServer()).get('/products/1').expect(200);
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
