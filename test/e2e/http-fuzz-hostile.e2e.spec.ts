import fc from 'fast-check';
import type request from 'supertest';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { renderTextImage } from '../../src/modules/documents/text-image.js';
import { loginAsNewUser, startE2eApp, type TestAgent } from '../helpers/e2e-app.js';

/** Numbers past the int4 columns (and JSON's safe range), and text with NUL or control characters. */
const hostileNumber = fc.constantFrom(2 ** 31, 99_999_999_999, 2 ** 53 + 2, 1e300, -(2 ** 31) - 1);
const hostileText = fc.oneof(
  fc.constantFrom('\u0000', 'x\u0000y', '\u0007', '\u001b[2J', '\u007f'),
  fc
    .tuple(fc.string({ maxLength: 10 }), fc.integer({ min: 0, max: 31 }))
    .map(([s, c]) => s + String.fromCharCode(c) + s),
);
const hostileValue = fc.oneof(hostileNumber, hostileText, hostileNumber.map(String));
/** The fields the sample routes declare, each given a hostile value: no such body can be valid. */
const fields = [
  'productId',
  'fromWarehouseId',
  'toWarehouseId',
  'quantity',
  'reason',
  'name',
  'description',
  'categoryId',
  'sku',
];
const hostileBody = fc.dictionary(fc.constantFrom(...fields), hostileValue, { minKeys: 1, maxKeys: 5 });
const hostileQuery = fc.dictionary(
  fc.constantFrom('categoryId', 'search', 'page', 'pageSize'),
  hostileValue.map(String),
  { minKeys: 1, maxKeys: 3 },
);
/** Ids past int4, and never one of the seeded rows (PATCH must not change what other tests read). */
const hostileId = fc.oneof(hostileNumber.map(String), fc.constantFrom('%00', '1%00', '2147483648'));

describe('HTTP fuzz, hostile values on the sample routes: 4xx, never a 500', () => {
  let running: RunningApp;
  let agent: TestAgent;
  /** A product of this file's own: valid bodies with one hostile field may change it. */
  let own: number;

  beforeAll(async () => {
    running = await startE2eApp();
    ({ agent } = await loginAsNewUser(running));
    const sku = `FUZZ-${Date.now()}`;
    own = (await agent.post('/products').send({ sku, name: 'Fuzz', price: '1.00', categoryId: 1 }).expect(201)).body.id;
  });
  afterAll(() => running?.close());

  /** A 4xx, or for a query whose hostile-looking value is fine (a search for "2147483648"), any non-5xx. */
  const expectNo500 = (res: request.Response, what: string, clientError = true) => {
    const message = `${what} → ${res.status} ${res.text.slice(0, 200)}`;
    expect(res.status, message).toBeLessThan(500);
    if (clientError) expect(res.status, message).toBeGreaterThanOrEqual(400);
  };

  it('GET /products and /inventory/:id/moves with hostile query values', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery, async (q) => {
        expectNo500(await agent.get('/products').query(q), `/products ${JSON.stringify(q)}`, false);
        expectNo500(await agent.get('/inventory/1/moves').query(q), `/inventory/1/moves ${JSON.stringify(q)}`, false);
      }),
      { numRuns: 40 },
    );
  });

  for (const [method, path] of [
    ['post', () => '/products'],
    ['patch', (id: string) => `/products/${id}`],
    ['post', () => '/inventory/moves'],
  ] as const) {
    it(`${method.toUpperCase()} ${path(':id')} with hostile bodies`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileId, hostileBody, async (id, body) => {
          const res = await agent[method](path(id)).send(body);
          expectNo500(res, `${method} ${path(id)} ${JSON.stringify(body)}`);
        }),
        { numRuns: 40 },
      );
    });
  }

  // One hostile field in an otherwise valid body: it alone decides, so it must be refused (or be harmless).
  it('POST /inventory/moves and PATCH /products/:id with one hostile field in a valid body', async () => {
    const move = ['productId', 'fromWarehouseId', 'toWarehouseId', 'quantity', 'reason'] as const;
    const patch = ['name', 'description', 'categoryId', 'price'] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...move), fc.constantFrom(...patch), hostileValue, async (m, p, value) => {
        const body = { productId: own, toWarehouseId: 1, quantity: 1, [m]: value };
        expectNo500(await agent.post('/inventory/moves').send(body), `moves ${JSON.stringify(body)}`, false);
        expectNo500(
          await agent.patch(`/products/${own}`).send({ [p]: value }),
          `patch ${p}=${JSON.stringify(value)}`,
          false,
        );
      }),
      { numRuns: 60 },
    );
  });

  it('POST /documents with truncated images and hostile titles', async () => {
    const png = await renderTextImage(['Fuzz']);
    const jpeg = await sharp(png).jpeg().toBuffer();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(png, jpeg),
        fc.integer({ min: 1, max: 400 }),
        fc.option(hostileText),
        async (image, length, title) => {
          let req = agent.post('/documents').attach('file', image.subarray(0, length), 'f.img');
          if (title !== null) req = req.field('title', title);
          expectNo500(await req, `upload of ${length} bytes, title ${JSON.stringify(title)}`);
        },
      ),
      { numRuns: 30 },
    );
  });
});
