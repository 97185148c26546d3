import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { CacheService } from 'nestjs-layered-cache';
import { startE2eApp } from '../helpers/e2e-app.js';

describe('sample app: products through the cache', () => {
  let running: RunningApp;
  let http: ReturnType<typeof request>;
  let cache: CacheService;

  beforeAll(async () => {
    running = await startE2eApp();
    http = request(running.app.getHttpServer());
    cache = running.app.get(CacheService);
  });
  afterAll(() => running?.close());

  it('serves a product, the second time from the cache', async () => {
    const first = await http.get('/products/7').expect(200);
    expect(first.body).toMatchObject({ id: 7, sku: 'SKU-000007', name: 'Product 7' });
    expect(first.headers['x-cache']).toBe('MISS');
    const hitsBefore = cache.stats().l1!.hits;
    const second = await http.get('/products/7').expect(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.headers['cache-control']).toBe('public, max-age=600, stale-while-revalidate=60, stale-if-error=3600');
    // Served from L1 (the app's startup warmers may count hits of their own meanwhile).
    expect(cache.stats().l1!.hits).toBeGreaterThan(hitsBefore);
    await http
      .get('/products/7')
      .set('If-None-Match', first.headers.etag as string)
      .expect(304);
  });

  it('answers every cached public route with X-Cache, an ETag and a 304 for a matching If-None-Match', async () => {
    // The README: "Every cached route answers with X-Cache, ETag and 304s". Product 60 is touched by
    // no other test of this app (apps of other files have their own cache prefix and no CDC).
    for (const path of ['/categories', '/products?page=2', '/inventory/60', '/inventory/60/moves']) {
      const first = await http.get(path).expect(200);
      expect(['MISS', 'HIT'], path).toContain(first.headers['x-cache']); // a startup warmer may have filled it
      expect(first.headers.etag, path).toMatch(/^"[^"]+"$/);
      const second = await http.get(path).expect(200);
      expect(second.headers['x-cache'], path).toBe('HIT');
      expect(second.headers.etag, path).toBe(first.headers.etag);
      const notModified = await http.get(path).set('If-None-Match', first.headers.etag as string);
      expect(notModified.status, path).toBe(304);
      expect(notModified.text ?? '', path).toBe('');
    }
  });

  it('returns the new value right after a PATCH, for the item and the cached lists', async () => {
    await http.get('/products/8').expect(200);
    const listBefore = await http.get('/products').query({ search: 'Product 8', pageSize: 100 }).expect(200);
    expect(listBefore.body.items.map((p: { id: number }) => p.id)).toContain(8);

    const patched = await http
      .patch('/products/8')
      .send({ name: 'Renamed eight', price: 12.5, active: false })
      .expect(200);
    expect(patched.body).toMatchObject({ id: 8, name: 'Renamed eight', price: '12.50', active: false });

    expect((await http.get('/products/8').expect(200)).body).toMatchObject({ name: 'Renamed eight', price: '12.50' });
    const listAfter = await http.get('/products').query({ search: 'Product 8', pageSize: 100 }).expect(200);
    expect(listAfter.body.items.map((p: { id: number }) => p.id)).not.toContain(8);
    const renamed = await http.get('/products').query({ search: 'Renamed eight' }).expect(200);
    expect(renamed.body.items).toHaveLength(1);
  });

  it('moves a product between category lists when its category changes', async () => {
    const product = (await http.get('/products/9').expect(200)).body as { categoryId: number };
    const from = product.categoryId;
    const to = from === 1 ? 2 : 1;
    const inFrom = async () =>
      ((await http.get('/products').query({ categoryId: from, pageSize: 100 })).body.items as { id: number }[]).map(
        (p) => p.id,
      );
    const inTo = async () =>
      ((await http.get('/products').query({ categoryId: to, pageSize: 100 })).body.items as { id: number }[]).map(
        (p) => p.id,
      );
    expect(await inFrom()).toContain(9);
    expect(await inTo()).not.toContain(9);
    await http.patch('/products/9').send({ categoryId: to }).expect(200);
    expect(await inFrom()).not.toContain(9);
    expect(await inTo()).toContain(9);
  });

  it('paginates and filters lists, with the same cache entry for the same filters in any order', async () => {
    const a = await http.get('/products?active=true&pageSize=5&page=2').expect(200);
    expect(a.body).toMatchObject({ page: 2, pageSize: 5 });
    expect(a.body.items).toHaveLength(5);
    const b = await http.get('/products?page=2&pageSize=5&active=true').expect(200);
    expect(b.body).toEqual(a.body);
    expect(b.headers['x-cache']).toBe('HIT'); // the same entry, whatever the order of the filters
  });

  it.each([
    ['/products/abc', 'id must be a positive integer'],
    ['/products/0', 'id must be a positive integer'],
    ['/products/-3', 'id must be a positive integer'],
  ])('GET %s is a 400 naming the id', async (path, message) => {
    const res = await http.get(path).expect(400);
    expect(res.body.message).toContain(message);
  });

  it('GET of an unknown id is a 404', async () => {
    const res = await http.get('/products/99999').expect(404);
    expect(res.body.message).toBe('Product 99999 not found');
  });

  it.each([
    [{ price: -1 }, 'price'],
    [{ price: '1.234' }, 'price'],
    [{ name: '' }, 'name'],
    [{ active: 'yes' }, 'active'],
    [{ categoryId: 1.5 }, 'categoryId'],
    [{ categoryId: 9999 }, 'categoryId'],
    [{ colour: 'red' }, 'colour'],
    [{}, 'body'],
  ])('PATCH with %j is a 400 naming %s, and changes nothing', async (body, field) => {
    const before = (await http.get('/products/10').expect(200)).body;
    const res = await http.patch('/products/10').send(body).expect(400);
    expect(res.body.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect((await http.get('/products/10').expect(200)).body).toEqual(before);
  });

  it('PATCH of an unknown id is a 404; malformed JSON is a 400', async () => {
    await http.patch('/products/99999').send({ name: 'x' }).expect(404);
    await http.patch('/products/10').set('content-type', 'application/json').send('{"name":').expect(400);
  });

  it('rejects unknown or bad list filters with a 400 naming them', async () => {
    const res = await http.get('/products?page=0&pageSize=500&colour=red').expect(400);
    expect(res.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['colour', 'page', 'pageSize']);
  });

  it('creates a product (201), which cached lists then include; a duplicate sku is a 409', async () => {
    const search = `Gadget ${Date.now()}`;
    const before = await http.get('/products').query({ search }).expect(200);
    expect(before.body.total).toBe(0);
    const created = await http
      .post('/products')
      .send({ sku: `GAD-${Date.now()}`, name: search, price: '19.9', categoryId: 2 })
      .expect(201);
    expect(created.body).toMatchObject({ name: search, price: '19.90', categoryId: 2, active: true });
    const after = await http.get('/products').query({ search }).expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.items.map((p: { id: number }) => p.id)).toEqual([created.body.id]);
    const duplicate = await http
      .post('/products')
      .send({ sku: created.body.sku, name: 'x', price: 1, categoryId: 2 })
      .expect(409);
    expect(duplicate.body.message).toMatch(/already exists/);
  });

  it('refuses a bad new product with a 400 naming each field', async () => {
    const res = await http
      .post('/products')
      .send({ sku: 'bad sku!', price: '-1', categoryId: 99_999, colour: 'red' })
      .expect(400);
    const fields = res.body.issues.map((i: { field: string }) => i.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['colour', 'name', 'price', 'sku']));
    const unknownCategory = await http
      .post('/products')
      .send({ sku: `X-${Date.now()}`, name: 'x', price: 1, categoryId: 99_999 })
      .expect(400);
    expect(unknownCategory.body.issues).toEqual([{ field: 'categoryId', message: 'category 99999 does not exist' }]);
  });

  it('deletes a product (204): its cached GET is gone; a product with stock history is a 409', async () => {
    const { body } = await http
      .post('/products')
      .send({ sku: `DEL-${Date.now()}`, name: 'Short-lived', price: 1, categoryId: 1 })
      .expect(201);
    await http.get(`/products/${body.id}`).expect(200);
    await http.delete(`/products/${body.id}`).expect(204);
    await http.get(`/products/${body.id}`).expect(404);
    await http.delete(`/products/${body.id}`).expect(404);
    // Product 1 has opening stock moves (the seed): its history must not vanish.
    const refused = await http.delete('/products/1').expect(409);
    expect(refused.body.message).toMatch(/deactivate it/);
    await http.get('/products/1').expect(200);
  });
});
