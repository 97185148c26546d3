import { startLatencyProxy, type LatencyProxy } from '@internal/dev-services';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { entityTags, type CacheService } from '../../src/index.js';
import {
  createCdcApp,
  dropSlotAndPublication,
  slotActive,
  sqlClient,
  walLevel,
  type CdcApp,
} from '../helpers/cdc-app.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

// The harness's own Postgres always runs with wal_level=logical; a TEST_DATABASE_URL server may not.
const level = await walLevel();
const skip = level !== 'logical' && process.env.TEST_DATABASE_URL !== undefined;
if (skip) console.warn(`CDC tests skipped: TEST_DATABASE_URL's server has wal_level=${level}, not logical`);

/** Within the documented bound, but a loaded test machine gets slack: waits end on the condition. */
const WAIT = { timeout: 15_000, interval: 25 };

describe.skipIf(skip)('invalidation from Postgres logical replication', () => {
  const slot = `nlc_cdc_${inject('runId')}_${Math.random().toString(36).slice(2, 8)}`;
  const prefix = uniquePrefix('cdc');
  let proxy: LatencyProxy;
  let leader: CdcApp;
  let follower: CdcApp;
  let sql: pg.Client;
  const widgets: number[] = [];
  // A table without an entity, given tag rules in options.
  const tables = {
    test_wb_rows: (before?: Record<string, unknown>, after?: Record<string, unknown>) => [
      `wbRow:${String((after ?? before)?.id)}`,
    ],
  };

  beforeAll(async () => {
    sql = await sqlClient();
    // Rows made before the slot exists: their own inserts are not in the stream.
    for (let i = 0; i < 8; i++) {
      const { rows } = await sql.query<{ id: number }>(
        `INSERT INTO test_widgets (name, group_id) VALUES ('w', $1) RETURNING id`,
        [1000 + i],
      );
      widgets.push(rows[0]!.id);
    }
    await sql.query(`INSERT INTO test_cdc_gadgets (id, name) SELECT g, 'g' FROM generate_series(1, 9) g
                     ON CONFLICT (id) DO UPDATE SET name = 'g'`);
    // The leader reaches Redis through a proxy, so a test can cut it off from Redis alone.
    proxy = await startLatencyProxy(inject('redisUrl'));
    leader = await createCdcApp(slot, prefix, { url: proxy.url, commandTimeout: 500 }, { tables });
    await vi.waitFor(async () => expect(await slotActive(sql, slot)).toBe(true), WAIT);
    expect(leader.cdc.status().state).toBe('leader');
    follower = await createCdcApp(slot, prefix, undefined, { tables });
    await vi.waitFor(() => expect(follower.cdc.status().state).toBe('follower'), WAIT);
  });
  afterAll(async () => {
    await leader?.close();
    await follower?.close();
    await proxy?.close();
    if (sql) {
      await dropSlotAndPublication(sql, slot);
      await sql.end();
    }
  });

  const instances = () => [leader, follower].map((i) => i.cache);
  /** Caches `key` tagged `tags` on every instance, with the value `old`. */
  const cacheOn = async (caches: CacheService[], key: string, tags: string[]) => {
    for (const cache of caches) expect(await cache.getOrSet(key, () => 'old', { tags })).toBe('old');
  };
  const invalidatedOn = (caches: CacheService[], keys: string[]) =>
    vi.waitFor(async () => {
      for (const cache of caches) for (const key of keys) expect(await cache.get(key)).toBeUndefined();
    }, WAIT);
  /** A committed write seen by every instance: all commits before it have been applied (commit order). */
  const barrier = async (caches: CacheService[]) => {
    await cacheOn(caches, 'gadget:9', entityTags.row('gadget', 9));
    await sql.query(`UPDATE test_cdc_gadgets SET name = name || '.' WHERE id = 9`);
    await invalidatedOn(caches, ['gadget:9']);
  };

  it('invalidates raw UPDATE, DELETE and INSERT … ON CONFLICT on every instance, old and new row', async () => {
    const [moved, deleted] = widgets;
    await cacheOn(instances(), `widget:${moved}`, entityTags.row('widget', moved!));
    await cacheOn(instances(), 'group-1000', ['group:1000']);
    await cacheOn(instances(), 'group-1100', ['group:1100']);
    await sql.query(`UPDATE test_widgets SET name = 'moved', group_id = 1100 WHERE id = $1`, [moved]);
    // The rule's tags for the old row (group 1000) and the new one (group 1100).
    await invalidatedOn(instances(), [`widget:${moved}`, 'group-1000', 'group-1100']);

    await cacheOn(instances(), `widget:${deleted}`, entityTags.row('widget', deleted!));
    await sql.query('DELETE FROM test_widgets WHERE id = $1', [deleted]);
    await invalidatedOn(instances(), [`widget:${deleted}`]);

    await cacheOn(instances(), 'gadget:3', entityTags.row('gadget', 3));
    await cacheOn(instances(), 'gadgets', [entityTags.collection('gadget')]);
    await sql.query(`INSERT INTO test_cdc_gadgets (id, name) VALUES (3, 'upserted')
                     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`);
    await invalidatedOn(instances(), ['gadget:3', 'gadgets']);
  });

  it('invalidates the tags given in options for a table without an entity', async () => {
    const id = 900_000 + Math.floor(Math.random() * 90_000);
    await cacheOn(instances(), `wb-${id}`, [`wbRow:${id}`]);
    await sql.query(`INSERT INTO test_wb_rows (id, name) VALUES ($1, 'raw') ON CONFLICT (id) DO NOTHING`, [id]);
    await invalidatedOn(instances(), [`wb-${id}`]);
  });

  it('invalidates nothing for a transaction that rolls back', async () => {
    const id = widgets[2]!;
    await cacheOn(instances(), `widget:${id}`, entityTags.row('widget', id));
    await sql.query('BEGIN');
    await sql.query(`UPDATE test_widgets SET name = 'dirty' WHERE id = $1`, [id]);
    await sql.query('ROLLBACK');
    await barrier(instances());
    for (const cache of instances()) expect(await cache.get(`widget:${id}`)).toBe('old');
  });

  it('invalidates everything a multi-table transaction touched', async () => {
    const id = widgets[3]!;
    await cacheOn(instances(), `widget:${id}`, entityTags.row('widget', id));
    await cacheOn(instances(), 'group-1003', ['group:1003']);
    await cacheOn(instances(), 'gadget:2', entityTags.row('gadget', 2));
    await cacheOn(instances(), 'gadget:4', entityTags.row('gadget', 4));
    await sql.query('BEGIN');
    await sql.query(`UPDATE test_widgets SET name = 'tx' WHERE id = $1`, [id]);
    await sql.query(`UPDATE test_cdc_gadgets SET name = 'tx' WHERE id = 2`);
    await sql.query('DELETE FROM test_cdc_gadgets WHERE id = 4');
    await sql.query('COMMIT');
    await invalidatedOn(instances(), [`widget:${id}`, 'group-1003', 'gadget:2', 'gadget:4']);
  });

  it('loses nothing when the leader dies with transactions read but not applied', async () => {
    const ids = widgets.slice(4, 8);
    for (const id of ids) await cacheOn([follower.cache], `widget:${id}`, entityTags.row('widget', id));
    const errors = leader.cdc.status().errors;
    await proxy.close(); // the leader reads the stream but can no longer reach Redis
    for (const id of ids) await sql.query(`UPDATE test_widgets SET name = 'while-dying' WHERE id = $1`, [id]);
    // The leader has received them and failed to apply them…
    await vi.waitFor(() => expect(leader.cdc.status().errors).toBeGreaterThan(errors), WAIT);
    await leader.close(); // …and dies.
    await invalidatedOn(
      [follower.cache],
      ids.map((id) => `widget:${id}`),
    );
    expect(follower.cdc.status().state).toBe('leader');
  });

  it('on start, invalidates what was written while no instance was running', async () => {
    const id = widgets[4]!;
    await cacheOn([follower.cache], `widget:${id}`, entityTags.row('widget', id));
    await follower.close();
    await vi.waitFor(async () => expect(await slotActive(sql, slot)).toBe(false), WAIT);
    await sql.query(`UPDATE test_widgets SET name = 'while-down' WHERE id = $1`, [id]);
    // The entry is in Redis (L2); the instance started afterwards has an empty L1.
    follower = await createCdcApp(slot, prefix);
    await invalidatedOn([follower.cache], [`widget:${id}`]);
  });
});

describe.skipIf(skip)('CDC on a server or role that cannot replicate', () => {
  const role = `nlc_norepl_${inject('runId')}_${Math.random().toString(36).slice(2, 8)}`;
  let sql: pg.Client;

  beforeAll(async () => {
    sql = await sqlClient();
    await sql.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw' NOREPLICATION`);
  });
  afterAll(async () => {
    await sql.query(`DROP ROLE IF EXISTS ${role}`);
    await sql.end();
  });

  it('boots without CDC and says which grant is missing', async () => {
    const url = new URL(inject('databaseUrl'));
    url.username = role;
    url.password = 'pw';
    const app = await createCdcApp(`nlc_never_${role}`, uniquePrefix('cdc'), undefined, { connection: url.toString() });
    try {
      const status = app.cdc.status();
      expect(status.state).toBe('disabled');
      expect(status.reason).toContain(`ALTER ROLE "${role}" WITH REPLICATION;`);
      expect(status.reason).toContain('GRANT CREATE ON DATABASE');
      // The cache itself works.
      expect(await app.cache.getOrSet('k', () => 'v')).toBe('v');
    } finally {
      await app.close();
    }
  });
});
