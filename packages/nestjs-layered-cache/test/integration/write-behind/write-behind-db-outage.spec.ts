import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresServer } from '@internal/dev-services';
import { CacheWriteBehind1763900000000 } from '../../../src/write-behind/index.js';
import { sleep, uniquePrefix } from '../../helpers/cache-instance.js';
import { bootWriteBehindApp, rowsOf, type WbApp } from './write-behind.app.js';

/** A Postgres of its own, to stop and start while writes keep coming. */
describe('write-behind while the database is down', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wb-pg-'));
  let server: EmbeddedPostgresServer;
  let port: number;
  let url: string;
  let app: WbApp;

  beforeAll(async () => {
    port = await freePort();
    server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
    url = await server.createDatabase('wb');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      `CREATE TABLE test_wb_rows (id integer PRIMARY KEY, name varchar(100), views bigint NOT NULL DEFAULT 0, seen_at timestamptz)`,
    );
    await client.query(`INSERT INTO test_wb_rows (id, views) SELECT g, 0 FROM generate_series(1, 20) g`);
    await client.end();
    app = await bootWriteBehindApp(uniquePrefix('wb-down'), { maxAttempts: 10 }, url);
    await app.db.query('SELECT 1');
    await new CacheWriteBehind1763900000000().up(app.db.createQueryRunner());
  }, 60_000);
  afterAll(async () => {
    await app?.app.close();
    await server?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps accepting writes, retries with backoff, and drains once the database is back', async () => {
    await server.stop();
    for (let round = 0; round < 5; round++) {
      for (let id = 1; id <= 20; id++) await app.wb.increment('row', id, 'views', 1);
    }
    await app.wb.flush(); // fails: the batch waits for its retry
    const waiting = await app.wb.counts();
    expect(waiting[0]).toMatchObject({ batches: 1, dead: 0 });
    expect(await app.wb.pending('row', 7)).toMatchObject({ increment: { views: 5 } });
    server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
    await sleep(1100);
    for (let i = 0; i < 30 && (await app.wb.counts())[0]!.batches > 0; i++) {
      await app.wb.flush();
      await sleep(200);
    }
    const rows = await rowsOf(app.db, 1, 20);
    expect(rows.map((r) => Number(r.views))).toEqual(Array(20).fill(5));
    expect((await app.wb.counts())[0]).toMatchObject({ pendingRows: 0, batches: 0, dead: 0 });
  }, 60_000);
});
