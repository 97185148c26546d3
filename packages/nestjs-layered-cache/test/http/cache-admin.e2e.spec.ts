import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootAdminApp, type AdminApp } from './cache-admin.app.js';

describe('admin API: hostile patterns, cursors and bodies', () => {
  let a: AdminApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    a = await bootAdminApp('admin');
    http = request(a.app.getHttpServer());
  });
  afterAll(() => a?.app.close());

  it('matches a pattern that makes a regex backtrack in one pass (it blocked the event loop for 63 s)', async () => {
    const http$ = a.cache.namespace('http');
    // The worst case for `.*a.*a.*a.*a.*b`: a long run of "a" with no "b".
    await http$.set('a'.repeat(600), 1);
    await http$.set('aaaab', 2);
    // A matcher that backtracks would not answer before the test's timeout (the matcher's own
    // bound, linear in the key, is in src/l1/glob-pattern.spec.ts): no timing assertion here.
    const res = await http
      .post('/cache/invalidate')
      .set(a.auth)
      .send({ pattern: '*a*a*a*a*b', namespace: 'http', confirm: true })
      .expect(200);
    expect(res.body).toEqual({ keys: 0, tags: 0, pattern: 1 });
    expect(await http$.get('a'.repeat(600))).toBe(1);
    expect(await http$.get('aaaab')).toBeUndefined();
  });

  it('validates the whole body first: a bad pattern is a 400 naming the problem, and the tags stay valid', async () => {
    await a.cache.set('canary:7', 'still here', { tags: ['product:7'] });
    const res = await http
      .post('/cache/invalidate')
      .set(a.auth)
      .send({ tags: ['product:7'], pattern: '[z-a]' })
      .expect(400);
    expect(res.body.message).toMatch(/pattern: range "z-a" at 1 is reversed/);
    for (const pattern of ['product:[0-9', 'x[]', 'x\\']) {
      const bad = await http
        .post('/cache/invalidate')
        .set(a.auth)
        .send({ tags: ['product:7'], pattern })
        .expect(400);
      expect(bad.body.message).toMatch(/^pattern: /);
    }
    expect(await a.cache.get('canary:7')).toBe('still here');
    expect(a.admin.actions.invalidate).toBe(1);
  });

  it('asks for confirm on any pattern that can match every key, not only "*"', async () => {
    await a.cache.set('product:1', 1);
    await a.cache.set('order:1', 2);
    for (const pattern of ['[^~]*', '?*', '*', '[a-z]*', '*:1']) {
      const res = await http.post('/cache/invalidate').set(a.auth).send({ pattern }).expect(400);
      expect(res.body.message, pattern).toMatch(/no literal prefix.*confirm/);
    }
    expect(await a.cache.get('product:1')).toBe(1);
    expect(await a.cache.get('order:1')).toBe(2);
    // A literal prefix bounds it; confirm lifts the guard.
    expect((await http.post('/cache/invalidate').set(a.auth).send({ pattern: 'product:*' }).expect(200)).body).toEqual({
      keys: 0,
      tags: 0,
      pattern: 1,
    });
    await http.post('/cache/invalidate').set(a.auth).send({ pattern: '[^~]*', confirm: true }).expect(200);
    expect(await a.cache.get('order:1')).toBeUndefined();
  });

  it('refuses a cursor Redis cannot take, and a bad key pattern, with a 400', async () => {
    for (const cursor of ['99999999999999999999999999', '18446744073709551616', '-1', '1e3', 'abc']) {
      const res = await http.get('/cache/keys').query({ cursor }).set(a.auth).expect(400);
      expect(res.body.message, cursor).toMatch(/^cursor: must be the cursor a previous page returned/);
    }
    await http.get('/cache/keys').query({ cursor: '18446744073709551615' }).set(a.auth).expect(200);
    const bad = await http.get('/cache/keys').query({ pattern: 'x[' }).set(a.auth).expect(400);
    expect(bad.body.message).toMatch(/^pattern: "\[" at 1 is never closed/);
  });
});
