import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { loginAsNewUser, startE2eApp, type TestAgent } from '../helpers/e2e-app.js';

/** Ids nobody else's test uses (product rows above the seed, or not numbers at all). */
const foreignId = fc.oneof(
  fc.integer({ min: 100_000, max: 2 ** 40 }).map(String),
  fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s) || '%20'),
  fc.constantFrom('-1', '0', '1e3', '0x10', 'NaN', '%00', '..', '9'.repeat(30)),
);
const query = fc.dictionary(
  fc.string({ maxLength: 12 }),
  fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })),
  {
    maxKeys: 5,
  },
);
/** JSON of any shape, objects with random keys, and text that is not JSON at all. */
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.object({ maxDepth: 2, values: [fc.jsonValue({ maxDepth: 1 })] }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 50 }),
);
const headers = fc.dictionary(
  fc.constantFrom('x-tenant-id', 'accept-language', 'if-none-match', 'x-forwarded-for'),
  fc.string({ maxLength: 30 }).filter((v) => /^[\x20-\x7e]*$/.test(v)),
  {
    maxKeys: 3,
  },
);

describe('HTTP fuzz: random bodies, query strings and headers never cause a 500', () => {
  let running: RunningApp;
  let agent: TestAgent;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    running = await startE2eApp();
    ({ agent } = await loginAsNewUser(running, ['admin']));
  });
  afterAll(() => running?.close());

  const routes: { method: 'get' | 'post' | 'patch' | 'delete'; path: (id: string) => string; withBody?: boolean }[] = [
    { method: 'get', path: () => '/products' },
    { method: 'get', path: (id) => `/products/${id}` },
    { method: 'post', path: () => '/products', withBody: true },
    { method: 'patch', path: (id) => `/products/${id}`, withBody: true },
    { method: 'delete', path: (id) => `/products/${id}` },
    { method: 'get', path: () => '/categories' },
    { method: 'post', path: () => '/inventory/moves', withBody: true },
    { method: 'get', path: (id) => `/inventory/${id}` },
    { method: 'get', path: (id) => `/inventory/${id}/moves` },
    { method: 'get', path: (id) => `/documents/${id}` },
    { method: 'get', path: (id) => `/documents/${id}/ocr` },
    { method: 'get', path: (id) => `/users/${id}/documents/summary` },
    { method: 'post', path: () => '/auth/login', withBody: true },
    { method: 'get', path: () => '/cache/stats' },
    { method: 'post', path: () => '/cache/invalidate', withBody: true },
    { method: 'post', path: () => '/cache/clear', withBody: true },
    { method: 'get', path: () => '/cache/keys' },
    { method: 'get', path: () => '/cache/recommendations' },
    { method: 'post', path: () => '/cache/warm', withBody: true },
    { method: 'get', path: (id) => `/cache/warm/${id}` },
    { method: 'get', path: () => '/cache/hot' },
    { method: 'post', path: () => '/cache/write-behind/replay', withBody: true },
  ];

  for (const route of routes) {
    it(`${route.method.toUpperCase()} ${route.path(':id')}`, async () => {
      await fc.assert(
        fc.asyncProperty(foreignId, query, body, headers, async (id, q, b, h) => {
          let req = agent[route.method](route.path(id)).query(q).set(h);
          if (route.withBody) req = req.set('Content-Type', 'application/json').send(b);
          const res = await req;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(
            res.status,
            `${route.method} ${route.path(id)} ${JSON.stringify(q)} ${JSON.stringify(b)} → ${res.text.slice(0, 200)}`,
          ).toBeLessThan(500);
        }),
        { numRuns: 25 },
      );
    });
  }

  it('got through to real answers, not only to rejections', () => {
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s === 400)).toBe(true);
  });

  it('keeps serving afterwards', async () => {
    await request(running.app.getHttpServer()).get('/products/1').expect(200);
  });
});
