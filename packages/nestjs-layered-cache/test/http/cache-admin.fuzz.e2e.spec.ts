import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globMatcher } from '../../src/l1/glob-pattern.js';
import { bootAdminApp, type AdminApp } from './cache-admin.app.js';

/** Glob and regex metacharacters, control characters, and the patterns that broke things before. */
const metachar = fc.constantFrom(
  '*',
  '?',
  '[',
  ']',
  '^',
  '!',
  '-',
  '\\',
  '(',
  ')',
  '|',
  '+',
  '{',
  '}',
  '.',
  '$',
  '~',
  ':',
  'a',
  'b',
  'c',
  '\u0000',
  'é',
);
const pattern = fc.oneof(
  // Patterns that can match every key though they are not made of * and ? alone.
  fc.constantFrom('[^~]*', '*[^~]*', '[^\u0001]*', '*?*', '?*'),
  fc.string({ unit: metachar, minLength: 1, maxLength: 24 }),
  fc.constantFrom(
    '*a*a*a*a*b',
    '[z-a]',
    '[^~]*',
    '\\',
    '[',
    '[]',
    '(a+)+$',
    '.*',
    'canary*',
    'canary:[0-9]',
    '*'.repeat(1000),
  ),
  fc.constantFrom('a', '*a').map((unit) => unit.repeat(300) + 'b'),
  fc.string({ maxLength: 30 }),
);
const anyJson = fc.jsonValue({ maxDepth: 1 });
const tag = fc.oneof(fc.constantFrom('canary-tag', '', 'x'.repeat(300), 'a\u0000b'), fc.string({ maxLength: 12 }));
const namespace = fc.oneof(
  fc.constantFrom(undefined, 'http', 'canaries', 'a..b', '', '*', '.'),
  fc.string({ maxLength: 10 }),
);
const invalidateBody = fc.oneof(
  // Well-formed bodies with only a pattern: the ones that reach the cache.
  fc.record({ pattern, confirm: fc.constantFrom(undefined, false, true) }, { requiredKeys: ['pattern'] }),
  fc.record(
    {
      keys: fc.oneof(
        fc.array(fc.oneof(fc.constantFrom('canary:1', ''), fc.string({ maxLength: 10 })), { maxLength: 3 }),
        anyJson,
      ),
      tags: fc.oneof(fc.array(tag, { maxLength: 3 }), anyJson),
      pattern: fc.oneof(pattern, anyJson),
      namespace: fc.oneof(namespace, anyJson),
      confirm: fc.oneof(fc.constantFrom(true, false, 'yes', 1), anyJson),
      extra: anyJson,
    },
    { requiredKeys: [] },
  ),
  anyJson,
);
/** Keys as different as keys get: a pattern matching all of them can match every key. */
const PROBES = ['canary:1', 'product:7', 'zz', '0', 'x-y', 'é', 'a'.repeat(300)];
const confirmed = (body: unknown): boolean => {
  const { pattern: p, confirm } = (body ?? {}) as { pattern?: unknown; confirm?: unknown };
  if (typeof p !== 'string' || confirm === true) return true;
  const matches = globMatcher(p);
  return !PROBES.every((key) => matches(key));
};

const cursor = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String),
  fc.constantFrom(
    '99999999999999999999999999',
    '18446744073709551615',
    '18446744073709551616',
    '-1',
    '0x10',
    '1e3',
    '',
  ),
  fc.string({ maxLength: 30 }),
);

describe('admin fuzz: hostile patterns, cursors and bodies never answer 500, never hang, and a 4xx changes nothing', () => {
  let a: AdminApp;
  let http: ReturnType<typeof request>;
  const statuses = new Map<number, number>();

  const seed = async () => {
    await a.cache.set('canary:1', 'root', { tags: ['canary-tag'] });
    await a.cache.namespace('http').set('canary:1', 'http', { tags: ['canary-tag'] });
    await a.cache.namespace('canaries').set('canary:1', 'nested', { tags: ['canary-tag'] });
  };
  const canaries = async () => [
    await a.cache.get('canary:1'),
    await a.cache.namespace('http').get('canary:1'),
    await a.cache.namespace('canaries').get('canary:1'),
  ];

  beforeAll(async () => {
    a = await bootAdminApp('admin-fuzz');
    http = request(a.app.getHttpServer());
    await seed();
  });
  afterAll(() => a?.app.close());

  /**
   * Sends and checks the status; on a 4xx, nothing was applied; on a 2xx, the canaries come back.
   * A request that hangs (a regex built from a glob took 63 s) fails the test by its timeout.
   */
  async function probe(send: () => request.Test, what: string): Promise<number> {
    const actions = { ...a.admin.actions };
    const res = await send();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    expect(res.status, `${what} → ${res.text.slice(0, 200)}`).toBeLessThan(500);
    if (res.status >= 400) {
      expect(await canaries(), `${what} → ${res.status} yet changed the cache`).toEqual(['root', 'http', 'nested']);
      expect(a.admin.actions, what).toEqual(actions);
    } else {
      await seed();
    }
    return res.status;
  }

  it('POST /cache/invalidate', async () => {
    await fc.assert(
      fc.asyncProperty(invalidateBody, async (body) => {
        const json = JSON.stringify(body) ?? 'null';
        const status = await probe(
          () => http.post('/cache/invalidate').set(a.auth).set('Content-Type', 'application/json').send(json),
          json,
        );
        if (status < 300) expect(confirmed(body), `${json} removed what can be every key without confirm`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('POST /cache/clear', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.record({ namespace, extra: anyJson }, { requiredKeys: [] }), anyJson),
        async (body) => {
          const json = JSON.stringify(body) ?? 'null';
          await probe(
            () => http.post('/cache/clear').set(a.auth).set('Content-Type', 'application/json').send(json),
            json,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('GET /cache/keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { cursor, pattern, count: fc.oneof(fc.integer().map(String), fc.string({ maxLength: 5 })), namespace },
          { requiredKeys: [] },
        ),
        async (query) => {
          await probe(() => http.get('/cache/keys').query(query).set(a.auth), JSON.stringify(query));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('got through to real answers, not only to rejections', () => {
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s === 400)).toBe(true);
  });
});
