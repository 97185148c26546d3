import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheService } from '../../src/index.js';
import type { AdapterName } from './http-cache.app.js';
import { bootHostile, Calls } from './http-cache-hostile.app.js';

const ADAPTERS: AdapterName[] = ['express', 'fastify'];

describe.each(ADAPTERS)('HTTP cache against hostile clients on %s', (adapter) => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let calls: Calls;
  let cookie: string;

  beforeAll(async () => {
    app = await bootHostile(adapter);
    http = request(app.getHttpServer());
    calls = app.get(Calls);
    const started = await http.get('/start').expect(200);
    cookie = (started.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  });
  afterAll(() => app?.close());

  it('never sends Set-Cookie with a public Cache-Control: miss, hit, 304 and edge hit turn private', async () => {
    for (const path of ['/plain', '/edge', '/catalog?page=2']) {
      const anonymous = await http.get(path).expect(200);
      expect(anonymous.headers['set-cookie'], path).toBeUndefined();
      expect(anonymous.headers['cache-control'], path).toMatch(/^public, max-age=/);
      const miss = await http.get(path).set('Cookie', cookie).expect(200);
      const hit = await http.get(path).set('Cookie', cookie).expect(200);
      const revalidated = await http
        .get(path)
        .set('Cookie', cookie)
        .set('If-None-Match', hit.headers.etag as string)
        .expect(304);
      for (const res of [miss, hit, revalidated]) {
        expect(res.headers['set-cookie'], `${path} ${res.status}`).toBeDefined();
        expect(res.headers['cache-control'], `${path} ${res.status}`).toBe('private, no-cache');
      }
      expect(hit.headers['x-cache'] ?? 'HIT', path).toBe('HIT');
      // The entry itself stayed public: the next anonymous request is a public hit.
      expect((await http.get(path).expect(200)).headers['cache-control'], path).toMatch(/^public/);
    }
  });

  it('keys a public route by its declared query parameters only; any other one bypasses and stores nothing', async () => {
    const cache = app.get(CacheService).namespace('http');
    const before = calls.count.get('catalog') ?? 0;
    await http.get('/catalog?page=3').expect(200);
    expect((await http.get('/catalog?page=3').expect(200)).headers['x-cache']).toBe('HIT');
    for (let i = 0; i < 20; i++) {
      const junk = await http.get(`/catalog?page=3&junk=${i}`).expect(200);
      expect(junk.headers['x-cache']).toBe('BYPASS');
      expect(junk.body.params).toBe(2); // the handler saw the request as sent
      const plain = await http.get(`/plain?junk=${i}`).expect(200);
      expect(plain.headers['x-cache']).toBe('BYPASS');
    }
    expect(calls.count.get('catalog')! - before).toBe(21);
    // No entry was created for any junk parameter.
    expect(cache.peek('catalog?junk=0&page=3||shared')).toBeUndefined();
    expect(cache.peek('catalog?page=3||shared')).toBeDefined();
  });
});
