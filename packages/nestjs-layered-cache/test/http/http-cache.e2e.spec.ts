import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { CacheService } from '../../src/index.js';
import { deferred, sleep, uniquePrefix } from '../helpers/cache-instance.js';
import {
  bootScenario,
  GlobalGuardEdgeModule,
  GuardedEdgeModule,
  ItemStore,
  type AdapterName,
} from './http-cache.app.js';

const ADAPTERS: AdapterName[] = ['express', 'fastify'];

describe.each(ADAPTERS)('HTTP cache on %s', (adapter) => {
  let app: INestApplication;
  let other: INestApplication;
  let store: ItemStore;
  let http: ReturnType<typeof request>;
  const calls = (route: string) => store.calls.get(route) ?? 0;

  beforeAll(async () => {
    const prefix = uniquePrefix(`http-${adapter}`);
    app = await bootScenario(adapter, { prefix, redis: { url: inject('redisUrl') } });
    // A second instance on the same Redis: the cross-instance lock and the bus apply to HTTP too.
    other = await bootScenario(adapter, { prefix, redis: { url: inject('redisUrl') } });
    store = app.get(ItemStore);
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
    await other?.close();
  });

  it('answers a miss, then a hit with the same bytes, type and strong ETag', async () => {
    const miss = await http.get('/items/1').expect(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(miss.headers.etag).toMatch(/^"[\w-]{27}"$/);
    const hit = await http.get('/items/1').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    expect(hit.body).toEqual({ id: '1', name: 'one' });
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.headers['content-type']).toBe(miss.headers['content-type']);
    expect(hit.headers['cache-control']).toBe('private, no-cache');
    expect(Number(hit.headers.age)).toBeGreaterThanOrEqual(0);
    expect(calls('get:1')).toBe(1);
  });

  it('does not split keys by query order', async () => {
    await http.get('/items?b=2&a=1').expect(200);
    const second = await http.get('/items?a=1&b=2').expect(200);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(calls('list')).toBe(1);
    await http.get('/items?a=1&b=3').expect(200);
    expect(calls('list')).toBe(2);
  });

  it('answers If-None-Match with a 304 that repeats ETag, Cache-Control and Vary', async () => {
    const first = await http.get('/greeting').set('Accept-Language', 'fr').expect(200);
    expect(first.body.greeting).toBe('bonjour');
    expect(first.headers.vary).toBe('Accept-Language');
    const etag = first.headers.etag as string;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const revalidated = await http
        .get('/greeting')
        .set('Accept-Language', 'fr')
        .set('If-None-Match', ifNoneMatch)
        .expect(304);
      expect(revalidated.text).toBe('');
      expect(revalidated.headers.etag).toBe(etag);
      expect(revalidated.headers['cache-control']).toBe('private, no-cache');
      expect(revalidated.headers.vary).toBe('Accept-Language');
    }
    // The listed header splits the key: English is another entry, and another ETag.
    const english = await http.get('/greeting').set('Accept-Language', 'en').set('If-None-Match', etag).expect(200);
    expect(english.body.greeting).toBe('hello');
    expect(english.headers['x-cache']).toBe('MISS');
    expect(calls('greeting')).toBe(2);
  });

  it('evicts on a 2xx write before answering: the next GET misses and shows the new value', async () => {
    const before = await http.get('/items/2').expect(200);
    await http.get('/items/2').expect(200);
    await http.get('/items').expect(200);
    await http.patch('/items/2').send({ name: 'deux' }).expect(200);
    const after = await http
      .get('/items/2')
      .set('If-None-Match', before.headers.etag as string)
      .expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body).toEqual({ id: '2', name: 'deux' });
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const list = await http.get('/items').expect(200);
    expect(list.headers['x-cache']).toBe('MISS');
    // The other instance's L1 was told over the bus.
    const elsewhere = await request(other.getHttpServer()).get('/items/2').expect(200);
    expect(elsewhere.body.name).toBe('deux');
  });

  it('evicts nothing when the write fails', async () => {
    await http.get('/items/3').expect(200);
    await http.patch('/items/404').send({ name: 'x' }).expect(404);
    expect((await http.get('/items/3').expect(200)).headers['x-cache']).toBe('HIT');
  });

  it('never caches a non-2xx response', async () => {
    await http.get('/items/999').expect(404);
    await http.get('/items/999').expect(404);
    expect(calls('get:999')).toBe(2);
  });

  it('caches other 2xx statuses and the handler content type, as they were', async () => {
    await http.get('/accepted').expect(203);
    const hit = await http.get('/accepted').expect(203);
    expect(hit.headers['x-cache']).toBe('HIT');
    await http.get('/text').expect(200);
    const text = await http.get('/text').expect(200);
    expect(text.headers['x-cache']).toBe('HIT');
    expect(text.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(text.text).toBe('a,b\n1,1\n');
  });

  it('answers HEAD from the GET entry, without a body', async () => {
    const head = await http.head('/items/3').expect(200);
    expect(head.headers['x-cache']).toBe('HIT');
    expect(head.text ?? '').toBe('');
    expect(head.headers.etag).toBe((await http.get('/items/3')).headers.etag);
    const first = await http.head('/public').expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect((await http.get('/public').expect(200)).headers['x-cache']).toBe('HIT');
  });

  it('keeps one user from ever seeing another user’s response', async () => {
    const a = await http.get('/me').set('Authorization', 'Bearer alice@acme').expect(200);
    const b = await http.get('/me').set('Authorization', 'Bearer bob@acme').expect(200);
    expect(a.body.user).toBe('alice');
    expect(b.body.user).toBe('bob');
    expect(b.headers['x-cache']).toBe('MISS');
    const again = await http.get('/me').set('Authorization', 'Bearer alice@acme').expect(200);
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.body).toEqual(a.body);
    expect(again.headers['cache-control']).toBe('private, no-cache');
    // Without a user there is nobody to scope to: bypass.
    const anonymous = await http.get('/me').expect(200);
    expect(anonymous.headers['x-cache']).toBe('BYPASS');
    expect(anonymous.body.user).toBeNull();
  });

  it('scopes by tenant', async () => {
    const acme = await http.get('/tenant').set('Authorization', 'Bearer alice@acme').expect(200);
    const colleague = await http.get('/tenant').set('Authorization', 'Bearer bob@acme').expect(200);
    const globex = await http.get('/tenant').set('Authorization', 'Bearer carol@globex').expect(200);
    expect(colleague.headers['x-cache']).toBe('HIT');
    expect(colleague.body).toEqual(acme.body);
    expect(globex.body.tenant).toBe('globex');
    expect(globex.headers['x-cache']).toBe('MISS');
  });

  it('never serves a shared entry to a request with credentials unless the route is public', async () => {
    await http.get('/items/1').expect(200);
    const withToken = await http.get('/items/1').set('Authorization', 'Bearer alice@acme').expect(200);
    expect(withToken.headers['x-cache']).toBe('BYPASS');
    const withSession = await http.get('/items/1').set('Cookie', 'theme=dark; connect.sid=s%3Aabc').expect(200);
    expect(withSession.headers['x-cache']).toBe('BYPASS');
    expect(calls('get:1')).toBe(3);
    const anonymous = await http.get('/public').expect(200);
    const authed = await http.get('/public').set('Authorization', 'Bearer alice@acme').expect(200);
    expect(authed.headers['x-cache']).toBe('HIT');
    expect(authed.body).toEqual(anonymous.body);
    expect(authed.headers['cache-control']).toBe('public, max-age=30, stale-while-revalidate=10');
  });

  it('runs the handler once for concurrent misses, across both instances', async () => {
    const gate = deferred();
    store.gate = gate.promise;
    other.get(ItemStore).gate = gate.promise;
    const misses = () => app.get(CacheService).stats().misses + other.get(CacheService).stats().misses;
    const before = misses();
    const servers = [app, other].map((a) => request(a.getHttpServer()));
    const pending = Array.from({ length: 8 }, (_, i) => servers[i % 2]!.get('/slow').then((r) => r));
    // Every request has missed and waits (on the loader, on its instance's load, or on the lock).
    await vi.waitFor(() => expect(misses() - before).toBe(8), { timeout: 30_000, interval: 10 });
    gate.resolve();
    const responses = await Promise.all(pending);
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(calls('slow') + (other.get(ItemStore).calls.get('slow') ?? 0)).toBe(1);
    expect(responses.filter((r) => r.headers['x-cache'] === 'MISS')).toHaveLength(1);
  });

  it('serves a stale response within grace while one request refreshes it', async () => {
    const first = await http.get('/stale').expect(200);
    await sleep(200);
    const stale = await http.get('/stale').expect(200);
    expect(stale.headers['x-cache']).toBe('STALE');
    expect(stale.headers.warning).toBe('110 - "Response is Stale"');
    expect(stale.body).toEqual(first.body);
    await expect.poll(() => calls('stale')).toBe(2);
    await expect.poll(async () => (await http.get('/stale')).body.calls).toBe(2);
  });

  it('answers with the expired response when the handler fails (fail-safe), never hiding a 404', async () => {
    const first = await http.get('/flaky').expect(200);
    expect(first.headers['cache-control']).toBe('public, max-age=0, stale-if-error=60');
    await http.get('/flaky?v=2').expect(200);
    await sleep(200);
    store.flaky = 'down';
    const saved = await http.get('/flaky').expect(200);
    expect(saved.headers['x-cache']).toBe('STALE');
    expect(saved.headers.warning).toBe('111 - "Revalidation Failed"');
    expect(saved.body).toEqual(first.body);
    store.flaky = 'gone';
    await http.get('/flaky?v=2').expect(404); // an answer about the request, not an outage
    store.flaky = 'up';
  });

  it('passes streams, @Res() handlers and bad tag templates through untouched', async () => {
    for (let i = 0; i < 2; i++) {
      const file = await http.get('/file').buffer(true).expect(200);
      expect(Buffer.from(file.body as Buffer).toString()).toBe('file-bytes');
      expect(file.headers['x-cache']).toBe('BYPASS');
      expect((await http.get('/raw').expect(200)).text).toBe('sent by the handler');
      expect((await http.get('/broken-tags').expect(200)).headers['x-cache']).toBe('BYPASS');
    }
    expect([calls('file'), calls('raw'), calls('broken-tags')]).toEqual([2, 2, 2]);
    expect(app.get(CacheService).stats().http.errors).toBeGreaterThan(0);
  });

  it('answers edge hits before routing: no guard runs, 304 and HEAD work, eviction applies', async () => {
    const miss = await http.get('/items/3/edge').expect(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    const guardsBefore = calls('guard');
    const hit = await http.get('/items/3/edge').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    expect(hit.headers['content-type']).toBe(miss.headers['content-type']);
    expect(hit.headers['cache-control']).toBe(miss.headers['cache-control']);
    expect(hit.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const head = await http.head('/items/3/edge').expect(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(miss.text)));
    await http
      .get('/items/3/edge')
      .set('If-None-Match', miss.headers.etag as string)
      .expect(304);
    expect(calls('guard')).toBe(guardsBefore);
    await http.patch('/items/3').send({ name: 'trois' }).expect(200);
    const after = await http.get('/items/3/edge').expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.name).toBe('trois');
    // A public, non-edge route's entry is never answered by the edge: its guard still runs.
    await http.get('/public').expect(200);
    const guarded = calls('guard');
    await http.get('/public').expect(200);
    expect(calls('guard')).toBe(guarded + 1);
  });

  it('refuses an edge route that has guards, at boot', async () => {
    await expect(
      bootScenario(adapter, { prefix: uniquePrefix('http-edge'), redis: false }, GuardedEdgeModule),
    ).rejects.toThrow(/GuardedEdgeController.get is an edge route but has guards/);
  });

  it('never answers an edge route from the edge past a global guard it was not told to skip', async () => {
    const guarded = await bootScenario(
      adapter,
      { prefix: uniquePrefix('http-edge-global'), redis: false },
      GlobalGuardEdgeModule,
    );
    try {
      const members = request(guarded.getHttpServer());
      const filled = await members.get('/members/news').set('Authorization', 'Bearer ann@t1').expect(200);
      expect(filled.headers['x-cache']).toBe('MISS');
      await members.get('/members/news').expect(403);
      await members
        .get('/members/news')
        .set('If-None-Match', filled.headers.etag as string)
        .expect(403);
      await members.head('/members/news').expect(403);
      // Still cached, through the interceptor, after the guard let the caller in.
      const hit = await members.get('/members/news').set('Authorization', 'Bearer bob@t1').expect(200);
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(hit.text).toBe(filled.text);
    } finally {
      await guarded.close();
    }
  });

  it('leaves undecorated routes alone unless the interceptor is global', async () => {
    const plain = await http.get('/uncached').expect(200);
    expect(plain.headers['x-cache']).toBeUndefined();
    const global = await bootScenario(adapter, {
      prefix: uniquePrefix('http-global'),
      redis: { url: inject('redisUrl') },
      globalHttpInterceptor: true,
    });
    try {
      const g = request(global.getHttpServer());
      await g.get('/uncached').expect(200);
      expect((await g.get('/uncached').expect(200)).headers['x-cache']).toBe('HIT');
      expect((await g.get('/opted-out').expect(200)).headers['x-cache']).toBeUndefined();
      // A decorated route is handled once, by the global instance, with the route's own options.
      await g.get('/public').expect(200);
      const hit = await g.get('/public').expect(200);
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(hit.headers['cache-control']).toBe('public, max-age=30, stale-while-revalidate=10');
      expect(global.get(CacheService).stats().http.hits).toBe(2);
    } finally {
      await global.close();
    }
  });
});

describe.each(ADAPTERS)('HTTP cache on %s with Redis unreachable', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await bootScenario(adapter, {
      prefix: uniquePrefix('http-down'),
      l1: false,
      redis: { url: 'redis://127.0.0.1:1', connectTimeout: 200, commandTimeout: 200 },
    });
  });
  afterAll(() => app?.close());

  it('keeps answering from the handler: cache trouble never breaks a request', async () => {
    const http = request(app.getHttpServer());
    for (let i = 0; i < 3; i++) {
      const res = await http.get('/items/1').expect(200);
      expect(res.body).toEqual({ id: '1', name: 'one' });
      expect(res.headers['x-cache']).toBe('MISS');
    }
    await http.patch('/items/1').send({ name: 'uno' }).expect(200);
    expect((await http.get('/items/1').expect(200)).body.name).toBe('uno');
    expect(app.get(ItemStore).calls.get('get:1')).toBe(4);
  });
});
