import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { CacheWarmingService } from 'nestjs-layered-cache/warming';
import { uniquePrefix } from '../helpers/unique-prefix.js';
import { startE2eApp } from '../helpers/e2e-app.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/scratch-database.js';

/**
 * `npm start` on an empty database: migrations, then the seed, then the startup warmers. A warmer
 * that ran before the seed cached an empty shop for hours (categories for a day).
 */
describe('sample app: first boot on an empty database', () => {
  let running: RunningApp;
  let database: ScratchDatabase | undefined;

  beforeAll(async () => {
    database = await createScratchDatabase('first_boot');
    running = await startE2eApp({
      DATABASE_URL: database.url,
      CACHE_PREFIX: uniquePrefix('first'),
      SEED_PRODUCTS: '5000',
    });
  }, 120_000);
  afterAll(async () => {
    await running?.close();
    await database?.drop();
  });

  it('serves the full catalog on the first request, after the startup warmers have run', async () => {
    const warming = running.app.get(CacheWarmingService);
    // The warmers' own record of their last run: both startup warmers are done.
    await vi.waitFor(
      async () => {
        const last = Object.fromEntries((await warming.warmers()).map((w) => [w.name, w.last?.status]));
        expect(last).toMatchObject({ categories: 'completed', 'product-catalog': 'completed' });
      },
      { timeout: 30_000, interval: 100 },
    );
    const http = request(running.app.getHttpServer());
    const categories = await http.get('/categories').expect(200);
    expect(categories.body).toHaveLength(20);
    const products = await http.get('/products').expect(200);
    expect(products.body.total).toBe(5000);
    expect(products.body.items).toHaveLength(20);
    const first = (categories.body as { id: number }[])[0]!.id;
    const inCategory = await http.get(`/products?categoryId=${first}`).expect(200);
    expect(inCategory.body.items.length).toBeGreaterThan(0);
  }, 60_000);
});

/**
 * The same prefix over a database that was empty when the cache last saw it: the seed's raw SQL
 * is invisible to the TypeORM subscriber, so the seed invalidates the tags of what it wrote.
 */
describe('sample app: the seed invalidates what the cache knew of the empty tables', () => {
  const prefix = uniquePrefix('reseed');
  let database: ScratchDatabase | undefined;
  let url: string;

  beforeAll(async () => {
    database = await createScratchDatabase('reseed');
    url = database.url;
  });
  afterAll(() => database?.drop());

  it('serves the seeded catalog, not the empty one cached before the seed', async () => {
    const empty = await startE2eApp({ DATABASE_URL: url, CACHE_PREFIX: prefix, SEED_PRODUCTS: '0' });
    try {
      expect((await request(empty.app.getHttpServer()).get('/categories').expect(200)).body).toEqual([]);
    } finally {
      await empty.close();
    }
    const seeded = await startE2eApp({ DATABASE_URL: url, CACHE_PREFIX: prefix, SEED_PRODUCTS: '100' });
    try {
      const http = request(seeded.app.getHttpServer());
      expect((await http.get('/categories').expect(200)).body).toHaveLength(20);
      expect((await http.get('/products').expect(200)).body.total).toBe(100);
    } finally {
      await seeded.close();
    }
  }, 120_000);
});
