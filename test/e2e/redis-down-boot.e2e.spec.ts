import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from '@internal/dev-services';
import { CacheWarmingService } from 'nestjs-layered-cache/warming';
import type { RunningApp } from '../../src/bootstrap.js';
import { startE2eApp } from '../helpers/e2e-app.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/scratch-database.js';
import { uniquePrefix } from '../helpers/unique-prefix.js';

/**
 * `npm start` on an empty database while Redis is down (a private Redis, stopped): the app must
 * boot and serve from Postgres, then warm and queue once Redis is back. Before, the warming
 * scheduler sync held the boot for the whole outage, and then the startup warmers' claim on the
 * fail-fast client rejected and the process exited; a document upload waited for Redis too.
 */
describe('sample app: first boot while Redis is down', () => {
  let redis: EmbeddedRedis;
  let running: RunningApp;
  let database: ScratchDatabase | undefined;

  beforeAll(async () => {
    database = await createScratchDatabase('redis_down');
    redis = await startEmbeddedRedis();
    await redis.pause();
    running = await startE2eApp({
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      CACHE_PREFIX: uniquePrefix('redis-down'),
      SEED_DOCUMENTS: '1',
    });
  }, 120_000);
  afterAll(async () => {
    await running?.close();
    await redis?.stop();
    await database?.drop();
  });

  it('boots and serves from Postgres, then runs the startup warmers once Redis is back', async () => {
    const http = request(running.app.getHttpServer());
    const product = await http.get('/products/1').expect(200);
    expect(product.body).toMatchObject({ id: 1 });
    // The seeded document could not be queued for OCR: kept, marked failed, and the boot went on.
    const db = new pg.Client({ connectionString: database!.url });
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
