import type { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityTags } from '../../../src/index.js';
import { uniquePrefix } from '../../helpers/cache-instance.js';
import { bootWriteBehindApp, rowsOf, seedRows, TOKEN, type WbApp } from './write-behind.app.js';
import { WriteBehindStore } from '../../../src/write-behind/write-behind.store.js';
import { WriteBehindApplier } from '../../../src/write-behind/write-behind.applier.js';
import { WbRow } from '../../fixtures/wb-row.entity.js';
import { CacheService } from '../../../src/index.js';
import { sleep } from '../../helpers/cache-instance.js';
import { waitFor } from '@internal/dev-services';

describe('write-behind on real Redis and Postgres', () => {
  const prefix = uniquePrefix('wb');
  let a: WbApp;
  let b: WbApp;
  const views = async (from: number, count: number) => (await rowsOf(a.db, from, count)).map((r) => Number(r.views));
  /** The queue's Redis side, as another process (a crashed flusher) would see it. */
  const store = () =>
    new WriteBehindStore(a.app.get(CacheService)['stack'].l2 ? redisOf(a) : redisOf(a), `${prefix}:~wb:row`);

  beforeAll(async () => {
    a = await bootWriteBehindApp(prefix);
    b = await bootWriteBehindApp(prefix);
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
  });

  it('coalesces 1000 writes to one row into one row write, visible before the flush', async () => {
    await seedRows(a.db, 1, 1);
    for (let i = 0; i < 1000; i++) await a.wb.change('row', 1, { name: `v${i}` }, { views: 1 });
    expect(await a.wb.pending('row', 1)).toMatchObject({ set: { name: 'v999' }, increment: { views: 1000 } });
    expect(await views(1, 1)).toEqual([0]);
    const before = { ...a.wb.stats };
    await a.wb.flush();
    expect(a.wb.stats.rowsApplied - before.rowsApplied).toBe(1);
    expect(a.wb.stats.batchesApplied - before.batchesApplied).toBe(1);
    const [row] = await rowsOf(a.db, 1, 1);
    expect(row).toMatchObject({ name: 'v999', views: '1000' });
    expect(await a.wb.pending('row', 1)).toBeUndefined();
  });

  it('flush() applies every change made before it, even while another flush is running', async () => {
    await seedRows(a.db, 400, 1);
    await a.wb.increment('row', 400, 'views', 1);
    // Hold the row: the first flush takes its batch, then waits on the lock in the database.
    const holder = a.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT 1 FROM test_wb_rows WHERE id = 400 FOR UPDATE');
    const first = a.wb.flush();
    await waitFor('the first flush blocked on the row lock', async () => {
      const [{ n }] = (await a.db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%test_wb_rows%'`,
      )) as [{ n: number }];
      return n > 0;
    });
    await a.wb.increment('row', 400, 'views', 10); // after the running flush took its batch
    const second = a.wb.flush();
    await holder.commitTransaction();
    await holder.release();
    await first;
    await second;
    // Before: the second call returned the running flush, which had only the first change.
    expect(await views(400, 1)).toEqual([11]);
  });

  it('batches: 120 rows go in batches of at most 50 rows', async () => {
    await seedRows(a.db, 100, 120);
    const before = { ...a.wb.stats };
    // Reaching batchSize pending rows starts a flush by itself; the last 20 wait for this one.
    for (let id = 100; id < 220; id++) await a.wb.increment('row', id, 'views', id);
    await a.wb.flush();
    await a.wb.flush();
    expect(a.wb.stats.rowsApplied - before.rowsApplied).toBe(120);
    expect(a.wb.stats.batchesApplied - before.batchesApplied).toBeGreaterThanOrEqual(3);
    expect(await views(100, 120)).toEqual(Array.from({ length: 120 }, (_, i) => 100 + i));
  });

  it('takes over a batch whose flusher died mid-batch, and applies it exactly once', async () => {
    await seedRows(a.db, 300, 5);
    for (let id = 300; id < 305; id++) await a.wb.increment('row', id, 'views', 7);
    // A flusher claims the batch and dies before applying it.
    const taken = await store().take(50, 500);
    expect(taken?.rows.size).toBe(5);
    await a.wb.flush();
    expect(await views(300, 5)).toEqual([0, 0, 0, 0, 0]);
    // Another claims it, applies it, and dies before telling Redis: the database has it once.
    await sleep(600);
    const again = await store().take(50, 500);
    expect(again?.id).toBe(taken!.id);
    await new WriteBehindApplier(a.db, 'row', WbRow).apply(again!.id, again!.rows);
    expect(await views(300, 5)).toEqual([7, 7, 7, 7, 7]);
    // Reads overlay batches in flight: the value is visible the whole time.
    expect(await a.wb.pending('row', 300)).toMatchObject({ increment: { views: 7 } });
    await sleep(600);
    const before = { ...b.wb.stats };
    await b.wb.flush();
    expect(b.wb.stats.duplicates - before.duplicates).toBe(1);
    expect(await views(300, 5)).toEqual([7, 7, 7, 7, 7]);
    expect(await a.wb.pending('row', 300)).toBeUndefined();
  });

  it('lets two instances flush concurrently without applying a batch twice', async () => {
    await seedRows(a.db, 400, 300);
    for (let id = 400; id < 700; id++)
      await (id % 2 ? a : b).wb.change('row', id, { seenAt: new Date(0).toISOString() }, { views: 3 });
    await Promise.all([a.wb.flush(), b.wb.flush(), a.wb.flush(), b.wb.flush()]);
    const rows = await rowsOf(a.db, 400, 300);
    expect(rows.every((r) => r.views === '3' && r.seenAt?.getTime() === 0)).toBe(true);
    const [{ batches }] = (await a.db.query(
      `SELECT count(*)::int AS batches FROM cache_write_behind_batches WHERE entity = 'row' AND applied_at > now() - interval '1 minute'`,
    )) as [{ batches: number }];
    expect(batches).toBeGreaterThanOrEqual(6);
  });

  it('never lets an older batch overwrite a newer value', async () => {
    await seedRows(a.db, 800, 1);
    await a.wb.write('row', 800, { name: 'old' });
    const old = await store().take(50, 500);
    await a.wb.write('row', 800, { name: 'new' });
    await a.wb.flush(); // applies "new"
    await sleep(600);
    await a.wb.flush(); // takes over the stale batch holding "old"
    expect((await rowsOf(a.db, 800, 1))[0]!.name).toBe('new');
    expect(old).toBeDefined();
  });

  it('invalidates cached views of a row once its batch is in the database', async () => {
    await seedRows(a.db, 900, 1);
    const cache = a.app.get(CacheService);
    const read = () =>
      cache.getOrSet('row:900', async () => (await rowsOf(a.db, 900, 1))[0]!.views, {
        tags: entityTags.row('row', 900),
      });
    expect(await read()).toBe('0');
    await a.wb.increment('row', 900, 'views', 5);
    await a.wb.flush();
    expect(await read()).toBe('5');
  });

  it('retries a failing batch, dead-letters it, and replays it from the admin API', async () => {
    await seedRows(a.db, 1000, 2);
    await a.wb.increment('row', 1000, 'views', 1);
    await a.wb.increment('row', 1001, 'views', 1);
    const http = request(a.app.getHttpServer());
    await a.db.query('ALTER TABLE test_wb_rows RENAME TO test_wb_rows_away');
    try {
      await a.wb.flush();
      await sleep(1100); // the retry is due after 1 s
      await a.wb.flush();
    } finally {
      await a.db.query('ALTER TABLE test_wb_rows_away RENAME TO test_wb_rows');
    }
    const state = (await http.get('/cache/write-behind').set('Authorization', `Bearer ${TOKEN}`).expect(200)).body;
    expect(state.dead).toEqual([
      expect.objectContaining({ entity: 'row', rows: 2, attempts: 2, error: expect.stringMatching(/test_wb_rows/) }),
    ]);
    expect(state.entities).toEqual([expect.objectContaining({ entity: 'row', dead: 1 })]);
    await http.get('/cache/write-behind').expect(401);
    const replay = await http
      .post('/cache/write-behind/replay')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ entity: 'row' })
      .expect(200);
    expect(replay.body).toEqual({ replayed: 1 });
    await a.wb.flush();
    expect(await views(1000, 2)).toEqual([1, 1]);
    await http
      .post('/cache/write-behind/replay')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ entity: '' })
      .expect(400);
    const unknown = await http
      .post('/cache/write-behind/replay')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ entity: 'nope' })
      .expect(404);
    expect(unknown.body.message).toBe('No write-behind entity "nope"; known: "row"');
  });

  it('writes through (or rejects, if configured) when the queue is full', async () => {
    const full = await bootWriteBehindApp(uniquePrefix('wb-full'), { maxPending: 1 });
    const strict = await bootWriteBehindApp(uniquePrefix('wb-strict'), { maxPending: 1, overflow: 'reject' });
    try {
      await seedRows(a.db, 1100, 2);
      await full.wb.increment('row', 1100, 'views', 1); // queued
      await full.wb.increment('row', 1101, 'views', 1); // queue full: applied now
      expect(await views(1100, 2)).toEqual([0, 1]);
      await strict.wb.increment('row', 1100, 'views', 1);
      await expect(strict.wb.increment('row', 1101, 'views', 1)).rejects.toMatchObject({ status: 503 });
    } finally {
      await full.app.close();
      await strict.app.close();
    }
    expect(await views(1100, 2)).toEqual([2, 1]); // both shutdown flushes applied the queued ones
  });

  it('flushes at shutdown within the deadline', async () => {
    const c = await bootWriteBehindApp(uniquePrefix('wb-close'));
    await seedRows(a.db, 1200, 10);
    for (let id = 1200; id < 1210; id++) await c.wb.increment('row', id, 'views', 2);
    await c.app.close();
    expect(await views(1200, 10)).toEqual(Array(10).fill(2));
  });
});

function redisOf(app: WbApp) {
  // The cache module's client, as the write-behind service uses it.
  return (app.wb as unknown as { connection: { client: Redis } }).connection.client;
}
