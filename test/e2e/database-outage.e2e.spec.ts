import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresServer } from '@internal/dev-services';
import { setTimeout as sleep } from 'node:timers/promises';
import { startE2eApp } from '../helpers/e2e-app.js';

// Route TTLs are read when the app's modules load: stock levels expire after 1 s (grace 0) here.
vi.hoisted(() => void (process.env.CACHE_TTL_INVENTORY_LEVELS = '1000'));

const EAST = 2;

/** The sample app on a Postgres of its own, stopped under it and started again. */
describe('sample app while the database is down', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'outage-pg-'));
  let server: EmbeddedPostgresServer;
  let port: number;
  let running: RunningApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    port = await freePort();
    server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
    running = await startE2eApp({ DATABASE_URL: await server.createDatabase('outage'), SEED_PRODUCTS: '20' });
    http = request(running.app.getHttpServer());
  }, 90_000);
  afterAll(async () => {
    await running?.close();
    await server?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves expired answers marked stale, answers writes 503, and recovers by itself', async () => {
    const first = await http.get('/inventory/1').expect(200);
    expect(first.headers['x-cache']).toBe('MISS');

    await server.stop();
    await sleep(1100); // the cached answer is now past its TTL: a refresh is needed and fails

    const stale = await http.get('/inventory/1').expect(200);
    expect(stale.headers['x-cache']).toBe('STALE');
    expect(stale.headers.warning).toBe('111 - "Revalidation Failed"');
    expect(stale.body).toEqual(first.body);
    // The loader backs off: this one is answered without trying the database again.
    expect((await http.get('/inventory/1').expect(200)).headers['x-cache']).toBe('STALE');

    const write = await http.post('/inventory/moves').send({ productId: 1, toWarehouseId: EAST, quantity: 1 });
    expect(write.status).toBe(503);
    expect(write.headers['retry-after']).toBe('5');
    expect(write.body.message).toMatch(/database is unavailable.*not applied/);
    await http.get('/inventory/2').expect(503); // nothing cached to stand in
    await http.get('/products/3').expect(503);

    server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
    // Once the backoff ends, the next request reloads from the database.
    await vi.waitFor(async () => expect((await http.get('/inventory/1')).headers['x-cache']).toBe('MISS'), {
      timeout: 20_000,
      interval: 500,
    });
    await http.post('/inventory/moves').send({ productId: 1, toWarehouseId: EAST, quantity: 1 }).expect(201);
    const after = await http.get('/inventory/1').expect(200);
    expect(after.headers.warning).toBeUndefined();
  }, 60_000);
});
