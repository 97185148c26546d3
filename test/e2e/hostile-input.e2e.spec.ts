import { randomBytes } from 'node:crypto';
import request from 'supertest';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { renderTextImage } from '../../src/modules/documents/text-image.js';
import { loginAsNewUser, startE2eApp, type TestAgent } from '../helpers/e2e-app.js';

const fields = (res: request.Response) => (res.body.issues ?? []).map((i: { field: string }) => i.field);
const TOO_BIG = 99_999_999_999;

/** Values past a column's range, NUL bytes and broken images are the client's mistakes: 400s, never 500s. */
describe('sample routes: hostile input gets a 400 that names the field', () => {
  let running: RunningApp;
  let http: ReturnType<typeof request>;
  let agent: TestAgent;

  beforeAll(async () => {
    // A low pixel cap, so that a small test image stands for the 16000×16000 one.
    running = await startE2eApp({ DOCUMENTS_MAX_PIXELS: '1000000' });
    http = request(running.app.getHttpServer());
    ({ agent } = await loginAsNewUser(running));
  });
  afterAll(() => running?.close());

  it('refuses integers beyond the integer columns', async () => {
    expect(fields(await http.get(`/products?categoryId=${TOO_BIG}`).expect(400))).toEqual(['categoryId']);
    expect(new Set(fields(await http.get('/products?page=1e300').expect(400)))).toEqual(new Set(['page']));
    expect(fields(await http.patch('/products/150').send({ categoryId: TOO_BIG }).expect(400))).toEqual(['categoryId']);
    for (const field of ['productId', 'toWarehouseId']) {
      const move = { productId: 1, toWarehouseId: 1, quantity: 1, [field]: 2 ** 31 };
      expect(fields(await http.post('/inventory/moves').send(move).expect(400))).toEqual([field]);
    }
  });

  it('refuses a receipt that would overflow a stock level, and applies nothing', async () => {
    const sku = `OVF-${randomBytes(4).toString('hex')}`;
    const product = await http.post('/products').send({ sku, name: 'Overflow', price: '1.00', categoryId: 1 });
    expect(product.status).toBe(201);
    const receive = (quantity: number) =>
      http.post('/inventory/moves').send({ productId: product.body.id, toWarehouseId: 1, quantity });
    await receive(1_000_000_000).expect(201);
    await receive(1_000_000_000).expect(201);
    expect(fields(await receive(1_000_000_000).expect(400))).toEqual(['quantity']);
    expect((await http.get(`/inventory/${product.body.id}`).expect(200)).body.total).toBe(2_000_000_000);
  });

  it('refuses NUL bytes in any text', async () => {
    const move = { productId: 1, toWarehouseId: 1, quantity: 1, reason: '\u0000' };
    expect(fields(await http.post('/inventory/moves').send(move).expect(400))).toEqual(['reason']);
    expect(fields(await http.patch('/products/150').send({ name: 'x\u0000y' }).expect(400))).toEqual(['name']);
    expect(fields(await http.get('/products?search=%00').expect(400))).toEqual(['search']);
    const image = await renderTextImage(['NUL title']);
    const upload = await agent.post('/documents').attach('file', image, 'a.png').field('title', 'a\u0000b').expect(400);
    expect(upload.body.message).toMatch(/title/);
  });

  it('refuses a truncated image and one with more pixels than OCR needs', async () => {
    const png = await renderTextImage(['Truncated']);
    const truncated = await agent.post('/documents').attach('file', png.subarray(0, 64), 't.png').expect(400);
    expect(truncated.body.message).toMatch(/not a readable image\/png/);
    const huge = await sharp({ create: { width: 1200, height: 1000, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    const refused = await agent.post('/documents').attach('file', huge, 'h.png').expect(400);
    expect(refused.body.message).toMatch(/1200×1000 = 1200000 pixels; at most 1000000/);
  });

  it('marks a document read as private and not storable', async () => {
    const image = await renderTextImage([`Private ${randomBytes(4).toString('hex')}`]);
    const { uuid } = (await agent.post('/documents').attach('file', image, 'p.png').expect(201)).body;
    expect((await agent.get(`/documents/${uuid}`).expect(200)).headers['cache-control']).toBe('private, no-store');
  });

  it('sends security headers and no X-Powered-By; inline scripts only by hash', async () => {
    const api = await http.get('/products/1').expect(200);
    expect(api.headers['x-powered-by']).toBeUndefined();
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['content-security-policy']).toMatch(/script-src 'self';/);
    const dashboard = await http.get('/cache/dashboard').expect(200);
    // Its inline script is allowed by hash, not by 'unsafe-inline'.
    const scriptSrc = /script-src ([^;]*)/.exec(dashboard.headers['content-security-policy'])?.[1];
    expect(scriptSrc).toMatch(/^'self' 'sha256-[\w+/=]+'$/);
    const docs = await http.get('/docs').redirects(1).expect(200);
    expect(docs.headers['content-security-policy']).toMatch(/script-src 'self';/);
  });
});
