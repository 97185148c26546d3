import pg from 'pg';
import request from 'supertest';
import { CdcInvalidationService } from 'nestjs-layered-cache/cdc';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { startE2eApp } from '../helpers/e2e-app.js';
import { uniquePrefix } from '../helpers/unique-prefix.js';

// Products 71–72 belong to this file.
const WAIT = { timeout: 15_000, interval: 50 };

describe('sample app: writes made outside the app (raw SQL) reach every instance', async () => {
  const sql = new pg.Client({ connectionString: inject('databaseUrl'), query_timeout: 10_000 });
  await sql.connect();
  const { rows } = await sql.query<{ wal_level: string }>('SHOW wal_level');
  const logical = rows[0]!.wal_level === 'logical';
  let instances: RunningApp[] = [];
  let slot = '';

  beforeAll(async () => {
    if (!logical) return;
    const CACHE_PREFIX = uniquePrefix('cdc');
    instances = [
      await startE2eApp({ CACHE_PREFIX, CACHE_CDC: 'true' }),
      await startE2eApp({ CACHE_PREFIX, CACHE_CDC: 'true' }),
    ];
    slot = instances[0]!.app.get(CdcInvalidationService).status().slot;
    // Only what is committed once the slot is read is captured.
    await vi.waitFor(async () => {
      const { rows } = await sql.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active', [slot]);
      expect(rows).toHaveLength(1);
    }, WAIT);
  });
  afterAll(async () => {
    for (const running of instances) await running.close();
    if (slot) {
      await vi.waitFor(async () => {
        const { rows } = await sql.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active', [slot]);
        expect(rows).toHaveLength(0);
      }, WAIT);
      await sql.query('SELECT pg_drop_replication_slot($1)', [slot]);
      await sql.query(`DROP PUBLICATION IF EXISTS "${slot}"`);
    }
    await sql.end();
  });

  it.skipIf(!logical)('reports the change stream in /health', async () => {
    const { body } = await request(instances[0]!.app.getHttpServer()).get('/health').expect(200);
    expect(body.info.cdc).toMatchObject({ status: 'up', stuck: false });
    expect(['starting', 'leader', 'follower']).toContain(body.info.cdc.state);
  });

  it.skipIf(!logical)('shows the change stream as cache_cdc_* gauges in /metrics', async () => {
    const { text } = await request(instances[0]!.app.getHttpServer()).get('/metrics').expect(200);
    const gauge = (name: string) => new RegExp(`^${name}\\{slot="${slot}"\\} (\\S+)$`, 'm').exec(text)?.[1];
    expect(gauge('cache_cdc_enabled')).toBe('1');
    expect(gauge('cache_cdc_slot_stuck')).toBe('0');
    expect(['0', '1']).toContain(gauge('cache_cdc_leader'));
  });

  it.skipIf(!logical)('a raw SQL UPDATE changes what GET /products/:id serves on both instances', async () => {
    const https = instances.map((running) => request(running.app.getHttpServer()));
    for (const http of https) {
      await http.get('/products/71').expect(200);
      const cached = await http.get('/products/71').expect(200);
      expect(cached.headers['x-cache']).toBe('HIT');
      expect(cached.body.name).toBe('Product 71');
    }
    await sql.query(`UPDATE products SET name = 'Renamed by psql' WHERE id = 71`);
    await vi.waitFor(async () => {
      for (const http of https) expect((await http.get('/products/71').expect(200)).body.name).toBe('Renamed by psql');
    }, WAIT);
  });

  it.skipIf(!logical)('a raw SQL category move updates the old and the new category list', async () => {
    const http = request(instances[1]!.app.getHttpServer());
    const product = (await http.get('/products/72').expect(200)).body as { categoryId: number };
    const { rows } = await sql.query<{ id: number }>('SELECT id FROM categories WHERE id <> $1 ORDER BY id LIMIT 1', [
      product.categoryId,
    ]);
    const target = rows[0]!.id;
    const ids = async (categoryId: number) =>
      (await http.get('/products').query({ categoryId, pageSize: 100 }).expect(200)).body.items.map(
        (p: { id: number }) => p.id,
      );
    expect(await ids(product.categoryId)).toContain(72);
    expect(await ids(target)).not.toContain(72);
    await sql.query('UPDATE products SET category_id = $1 WHERE id = 72', [target]);
    await vi.waitFor(async () => {
      expect(await ids(product.categoryId)).not.toContain(72);
      expect(await ids(target)).toContain(72);
    }, WAIT);
  });
});
