import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from '@internal/dev-services';
import { CacheWarmingService } from 'nestjs-layered-cache/warming';
import type { RunningApp } from '../../src/bootstrap.js';
import { startE2eApp } from '../helpers/e2e-app.js';
import { uniquePrefix } from '../helpers/unique-prefix.js';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * `npm start` on an empty database while Redis is down (a private Redis, stopped): the app must
 * boot and serve from Postgres, then warm and queue once Redis is back. Before, the warming
 * scheduler sync held the boot for the whole outage, and then the startup warmers' claim on the
 * fail-fast client rejected and the process exited; a document upload waited for Redis too.
 */
describe('sample app: first boot while Redis is down', () => {
  const database = `redis_down_${randomBytes(4).toString('hex')}`;
  let redis: EmbeddedRedis;
  let running: RunningApp;
  let databaseUrl: string;

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
    redis = await startEmbeddedRedis();
    await redis.pause();
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    running = await startE2eApp({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      CACHE_PREFIX: uniquePrefix('redis-down'),
      SEED_DOCUMENTS: '1',
    });
  }, 120_000);
  afterAll(async () => {
    await running?.close();
    await redis?.stop();
    await admin(`DROP DATABASE IF EXISTS ${database}`);
  });

  it('boots and serves from Postgres, then runs the startup warmers once Redis is back', async () => {
    const http = request(running.app.getHttpServer());
    const product = await http.get('/products/1').expect(200);
    expect(product.body).toMatchObject({ id: 1 });
    // The seeded document could not be queued for OCR: kept, marked failed, and the boot went on.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ status: string; error: string }>('SELECT status, error FROM documents');
    await db.end();
    expect(rows).toEqual([{ status: 'failed', error: expect.stringMatching(/OCR queue unavailable/) }]);

    await redis.restart();
    const warming = running.app.get(CacheWarmingService);
    await vi.waitFor(
      async () => {
        const last = Object.fromEntries((await warming.warmers()).map((w) => [w.name, w.last?.status]));
        expect(last).toMatchObject({ categories: 'completed', 'product-catalog': 'completed' });
      },
      { timeout: 30_000, interval: 100 },
    );
  });
});
