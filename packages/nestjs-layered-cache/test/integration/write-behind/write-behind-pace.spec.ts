import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { CacheService } from '../../../src/index.js';
import type { WriteBehindBatchEvent } from '../../../src/write-behind/index.js';
import { uniquePrefix } from '../../helpers/cache-instance.js';
import { bootWriteBehindApp, seedRows, type WbApp } from './write-behind.app.js';

const viewsInDb = async (from: number, count: number): Promise<number[]> => {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    const { rows } = await client.query<{ views: string }>(
      'SELECT views FROM test_wb_rows WHERE id >= $1 AND id < $2 ORDER BY id',
      [from, from + count],
    );
    return rows.map((r) => Number(r.views));
  } finally {
    await client.end();
  }
};

describe('write-behind pace and shutdown drain', () => {
  let app: WbApp;

  beforeAll(async () => {
    app = await bootWriteBehindApp(uniquePrefix('wb-pace'));
    await seedRows(app.db, 9100, 20);
  });
  afterAll(async () => {
    await app?.app.close();
  });

  it('applies what was due when a flush started, not the rows written while it runs', async () => {
    let applied = 0;
    const off = app.app
      .get(CacheService)
      .on('write-behind:batch', (e) => (e.kind === 'applied' ? applied++ : undefined));
    await app.wb.increment('row', 9100, 'views');
    let writing = true;
    const writer = (async () => {
      let n = 1;
      while (writing) {
        await app.wb.increment('row', 9100, 'views');
        n++;
      }
      return n;
    })();
    // Reads keep coming while the flush runs; each would be a batch (a row write) of its own if
    // the flush went on draining: the hot row must be written once per flush, not once per read.
    await app.wb.flush();
    writing = false;
    const written = await writer;
    off();
    expect(applied).toBe(1);

    await app.wb.flush();
    expect(await viewsInDb(9100, 1)).toEqual([written]);
  });

  it("announces batches and answers the queue gauges through the cache module's events", async () => {
    const cache = app.app.get(CacheService);
    const metric = async (line: RegExp) =>
      line.exec((await request(app.app.getHttpServer()).get('/metrics').expect(200)).text)?.[1];
    const batches: WriteBehindBatchEvent[] = [];
    const errorsBefore = cache.stats().listenerErrors;
    const offs = [
      cache.on('write-behind:batch', () => {
        throw new Error('a broken listener');
      }),
      cache.on('write-behind:batch', (batch) => batches.push(batch)),
    ];
    try {
      for (let i = 0; i < 3; i++) await app.wb.increment('row', 9105, 'views');
      expect(await metric(/^cache_write_behind_pending_rows\{entity="row"\} (\d+)$/m)).toBe('1');
      await app.wb.flush();
      // The throwing listener changed nothing: the batch was applied once, and announced.
      expect(batches).toEqual([{ entity: 'row', kind: 'applied', rows: 1 }]);
      expect(await viewsInDb(9105, 1)).toEqual([3]);
      expect(cache.stats().listenerErrors).toBe(errorsBefore + 1);
      expect(await metric(/^cache_write_behind_pending_rows\{entity="row"\} (\d+)$/m)).toBe('0');
      expect(await metric(/^cache_write_behind_batches_total\{entity="row",result="applied"\} (\d+)$/m)).toMatch(
        /^[1-9]/,
      );
      expect(await metric(/^cache_write_behind_rows_applied_total\{entity="row"\} (\d+)$/m)).toMatch(/^[1-9]/);
    } finally {
      for (const off of offs) off();
    }
  });

  it('drains the buffer when the application closes', async () => {
    const closing = await bootWriteBehindApp(uniquePrefix('wb-drain'));
    for (let id = 9110; id < 9120; id++) await closing.wb.increment('row', id, 'views', 2);
    await closing.app.close(); // flushInterval is an hour: only the shutdown drain can apply them
    expect(await viewsInDb(9110, 10)).toEqual(Array.from({ length: 10 }, () => 2));
  });
});

describe('write-behind shutdown drain with the database stuck', () => {
  it('gives up after drainTimeout while a row lock blocks the batch, and the rows wait in Redis', async () => {
    const prefix = uniquePrefix('wb-stuck');
    const closing = await bootWriteBehindApp(prefix, { drainTimeout: 300 });
    await seedRows(closing.db, 9130, 1);
    const locker = new pg.Client({ connectionString: inject('databaseUrl') });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM test_wb_rows WHERE id = 9130 FOR UPDATE');
      await closing.wb.increment('row', 9130, 'views', 7);
      let closed = false;
      const close = closing.app.close().then(() => (closed = true));
      // The batch's UPDATE waits for our lock for as long as we hold it: only the drain timeout
      // can let app.close() finish meanwhile.
      await vi.waitFor(() => expect(closed).toBe(true), { timeout: 20_000, interval: 50 });
      await close;
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // Nothing lost: a later instance on the same prefix applies the batch once its lease expires.
    const next = await bootWriteBehindApp(prefix);
    try {
      await vi.waitFor(
        async () => {
          await next.wb.flush();
          expect(await viewsInDb(9130, 1)).toEqual([7]);
        },
        { timeout: 20_000, interval: 200 },
      );
    } finally {
      await next.app.close();
    }
  }, 60_000);
});
