import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { startE2eApp } from '../helpers/e2e-app.js';

// Products 150–199 belong to this file (other e2e files use other ids); warehouses 1–3 are seeded.
const MAIN = 1;
const EAST = 2;

describe('sample app: inventory', () => {
  let running: RunningApp;
  let http: ReturnType<typeof request>;
  const stock = async (productId: number) => (await http.get(`/inventory/${productId}`).expect(200)).body;
  const levelIn = (view: { levels: { warehouseId: number; quantity: number }[] }, warehouseId: number) =>
    view.levels.find((l) => l.warehouseId === warehouseId)?.quantity ?? 0;

  beforeAll(async () => {
    running = await startE2eApp();
    http = request(running.app.getHttpServer());
  });
  afterAll(() => running?.close());

  it('receives, issues and transfers; a GET after each move shows the new quantities', async () => {
    const first = await http.get('/inventory/150').expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect((await http.get('/inventory/150').expect(200)).headers['x-cache']).toBe('HIT');
    const start = first.body as { total: number; levels: { warehouseId: number; quantity: number }[] };

    const received = await http
      .post('/inventory/moves')
      .send({ productId: 150, toWarehouseId: MAIN, quantity: 5 })
      .expect(201);
    expect(received.body).toMatchObject({ productId: 150, fromWarehouseId: null, toWarehouseId: MAIN, quantity: 5 });
    const afterReceive = await http.get('/inventory/150').expect(200);
    expect(afterReceive.headers['x-cache']).toBe('MISS');
    expect(afterReceive.body.total).toBe(start.total + 5);

    await http
      .post('/inventory/moves')
      .send({ productId: 150, fromWarehouseId: MAIN, toWarehouseId: EAST, quantity: 3, reason: 'rebalance' })
      .expect(201);
    const afterTransfer = await stock(150);
    expect(afterTransfer.total).toBe(start.total + 5);
    expect(levelIn(afterTransfer, MAIN)).toBe(levelIn(start, MAIN) + 2);
    expect(levelIn(afterTransfer, EAST)).toBe(levelIn(start, EAST) + 3);

    await http.post('/inventory/moves').send({ productId: 150, fromWarehouseId: EAST, quantity: 1 }).expect(201);
    expect((await stock(150)).total).toBe(start.total + 4);
  });

  it('refuses a move that would make stock negative with a 409, changing nothing', async () => {
    const before = await stock(151);
    const res = await http
      .post('/inventory/moves')
      .send({ productId: 151, fromWarehouseId: MAIN, quantity: levelIn(before, MAIN) + 1 })
      .expect(409);
    expect(res.body.message).toMatch(/Not enough stock of product 151 in warehouse 1/);
    expect(await stock(151)).toEqual(before);
    await http
      .post('/inventory/moves')
      .send({ productId: 151, fromWarehouseId: MAIN, toWarehouseId: EAST, quantity: 10_000 })
      .expect(409);
    expect(await stock(151)).toEqual(before);
  });

  it('keeps stock exact under 20 concurrent moves on one product, refusing only what was not there', async () => {
    await http.post('/inventory/moves').send({ productId: 152, toWarehouseId: EAST, quantity: 50 }).expect(201);
    const before = await stock(152);
    const available = levelIn(before, EAST);
    // 20 concurrent issues of 7 each from EAST: exactly floor(available / 7) can succeed.
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(running.app.getHttpServer())
          .post('/inventory/moves')
          .send({ productId: 152, fromWarehouseId: EAST, quantity: 7 }),
      ),
    );
    const ok = results.filter((r) => r.status === 201).length;
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(ok).toBe(Math.min(20, Math.floor(available / 7)));
    const after = await stock(152);
    expect(levelIn(after, EAST)).toBe(available - 7 * ok);
    expect(after.total).toBe(before.total - 7 * ok);
  });

  it('keeps stock exact under concurrent opposite transfers (no deadlock, no lost update)', async () => {
    const before = await stock(153);
    const moves = Array.from({ length: 20 }, (_, i) =>
      request(running.app.getHttpServer())
        .post('/inventory/moves')
        .send({
          productId: 153,
          fromWarehouseId: i % 2 ? MAIN : EAST,
          toWarehouseId: i % 2 ? EAST : MAIN,
          quantity: 1,
        }),
    );
    const statuses = (await Promise.all(moves)).map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const after = await stock(153);
    expect(after.total).toBe(before.total);
  });

  it('lists moves newest first, paginated, and shows a new move at once', async () => {
    const page = await http.get('/inventory/150/moves?pageSize=2').expect(200);
    expect(page.body).toMatchObject({ page: 1, pageSize: 2 });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBe(3);
    expect(page.body.items[0].quantity).toBe(1);
    await http.post('/inventory/moves').send({ productId: 150, toWarehouseId: EAST, quantity: 9 }).expect(201);
    const next = await http.get('/inventory/150/moves?pageSize=2').expect(200);
    expect(next.body.items[0]).toMatchObject({ quantity: 9, toWarehouseId: EAST });
    expect(next.body.total).toBe(page.body.total + 1);
  });

  it('answers bad input with a 400 naming the field, unknown products with a 404', async () => {
    const bad = await http.post('/inventory/moves').send({ productId: 'x', quantity: 0, colour: 1 }).expect(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field)).toEqual(
      expect.arrayContaining(['productId', 'quantity', 'colour']),
    );
    const neither = await http.post('/inventory/moves').send({ productId: 150, quantity: 1 }).expect(400);
    expect(neither.body.issues[0].message).toMatch(/fromWarehouseId, toWarehouseId or both/);
    const same = await http
      .post('/inventory/moves')
      .send({ productId: 150, fromWarehouseId: 1, toWarehouseId: 1, quantity: 1 })
      .expect(400);
    expect(same.body.issues[0]).toMatchObject({ field: 'toWarehouseId' });
    const unknown = await http
      .post('/inventory/moves')
      .send({ productId: 999_999, toWarehouseId: 99, quantity: 1 })
      .expect(400);
    expect(unknown.body.issues.map((i: { field: string }) => i.field)).toEqual(['productId', 'toWarehouseId']);
    await http.get('/inventory/999999').expect(404);
    await http.get('/inventory/abc').expect(400);
    await http.get('/inventory/150/moves?pageSize=1000').expect(400);
  });
});
