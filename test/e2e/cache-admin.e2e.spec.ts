import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { CacheService } from 'nestjs-layered-cache';
import { startE2eApp } from '../helpers/e2e-app.js';

describe('sample app: cache admin API, metrics, health', () => {
  let running: RunningApp;
  let http: ReturnType<typeof request>;
  let cache: CacheService;
  const auth = () => ({ Authorization: `Bearer ${running.adminToken}` });

  beforeAll(async () => {
    running = await startE2eApp();
    http = request(running.app.getHttpServer());
    cache = running.app.get(CacheService);
  });
  afterAll(() => running?.close());

  it('answers 401 without credentials and 403 with a wrong token, on every admin route', async () => {
    const routes: [string, string][] = [
      ['get', '/cache/stats'],
      ['get', '/cache/stats/history'],
      ['post', '/cache/invalidate'],
      ['post', '/cache/clear'],
      ['get', '/cache/keys'],
      ['get', '/cache/recommendations'],
    ];
    for (const [method, path] of routes) {
      const call = () => (method === 'get' ? http.get(path) : http.post(path).send({}));
      expect((await call()).status, path).toBe(401);
      expect((await call().set('Authorization', 'Bearer wrong-token')).status, path).toBe(403);
      expect((await call().set('Authorization', `Bearer ${running.adminToken}x`)).status, path).toBe(403);
    }
  });

  it('reports stats per layer with rates, Redis facts, top groups and HTTP results', async () => {
    await http.get('/products/21').expect(200);
    await http.get('/products/21').expect(200);
    const { body } = await http.get('/cache/stats').set(auth()).expect(200);
    expect(body.uptimeSeconds).toEqual(expect.any(Number));
    expect(body.reads.total).toBeGreaterThan(0);
    expect(body.l1).toMatchObject({
      entries: expect.any(Number),
      bytes: expect.any(Number),
      maxBytes: 64 * 1024 * 1024,
    });
    expect(body.l2).toMatchObject({ failing: false, keys: { count: expect.any(Number), exact: true } });
    expect(body.l2.memory.usedBytes).toBeGreaterThan(0);
    expect(body.bus).toMatchObject({ trusted: true });
    expect(body.http.hits).toBeGreaterThan(0);
    expect(body.topGroups.map((g: { group: string }) => g.group)).toContain('products');
  });

  it('invalidates keys, tags and patterns, with counts; refuses "*" without confirm and bad bodies, applying nothing', async () => {
    await cache.set('admin:a', 1, { tags: ['admin-tag'] });
    await cache.set('admin:b', 2);
    await cache.set('admin:c', 3);
    const bad = await http
      .post('/cache/invalidate')
      .set(auth())
      .send({ tags: ['admin-tag'], pattern: 7 })
      .expect(400);
    expect(bad.body.message).toMatch(/pattern/);
    expect(await cache.get('admin:a')).toBe(1);
    const all = await http.post('/cache/invalidate').set(auth()).send({ pattern: '*' }).expect(400);
    expect(all.body.message).toMatch(/confirm/);
    await http.post('/cache/invalidate').set(auth()).send({}).expect(400);
    await http
      .post('/cache/invalidate')
      .set(auth())
      .send({ keys: ['admin:b'], colour: 'red' })
      .expect(400);
    expect(await cache.get('admin:b')).toBe(2);

    const res = await http
      .post('/cache/invalidate')
      .set(auth())
      .send({ keys: ['admin:b', 'admin:none'], tags: ['admin-tag'], pattern: 'admin:c*' })
      .expect(200);
    expect(res.body).toEqual({ keys: 1, tags: 1, pattern: 1 });
    expect(await cache.mget(['admin:a', 'admin:b', 'admin:c'])).toEqual([undefined, undefined, undefined]);
    const stats = (await http.get('/cache/stats').set(auth())).body;
    expect(stats.admin.invalidate).toBe(1);
    expect(stats.recentInvalidations[0]).toMatchObject({ kind: 'pattern', source: 'admin' });
  });

  it('clears a namespace in O(1): the HTTP entries miss afterwards', async () => {
    await http.get('/products/22').expect(200);
    expect((await http.get('/products/22')).headers['x-cache']).toBe('HIT');
    const res = await http.post('/cache/clear').set(auth()).send({ namespace: 'http' }).expect(200);
    expect(res.body).toEqual({ namespace: 'default.http' });
    expect((await http.get('/products/22')).headers['x-cache']).toBe('MISS');
    await http.post('/cache/clear').set(auth()).send({ namespace: 'no spaces' }).expect(400);
  });

  it('lists stored keys page by page with TTL, size and tags', async () => {
    await http.get('/products/23').expect(200);
    const seen: { key: string; ttl: number; bytes: number; tags: string[] }[] = [];
    let cursor = '0';
    do {
      const page = await http
        .get('/cache/keys')
        .query({ pattern: 'product:*', cursor, count: 50 })
        .set(auth())
        .expect(200);
      seen.push(...page.body.keys);
      cursor = page.body.cursor;
    } while (cursor !== '0');
    const entry = seen.find((k) => k.key === 'product:23');
    expect(entry).toMatchObject({ bytes: expect.any(Number), tags: ['product:23', 'product:*'] });
    expect(entry!.ttl).toBeGreaterThan(0);
    await http.get('/cache/keys').query({ count: 5000 }).set(auth()).expect(400);
  });

  it('recommends, with the numbers behind it, when a group keeps missing', async () => {
    for (let i = 0; i < 120; i++) await cache.getOrSet(`probe:${i}`, () => i, { ttl: 60_000 });
    const { body } = await http.get('/cache/recommendations').set(auth()).expect(200);
    const probe = body.find((r: { group?: string }) => r.group === 'probe');
    expect(probe).toMatchObject({ id: 'low-hit-rate', evidence: { reads: 120, hitRatePercent: 0 } });
  });

  it('serves Prometheus metrics that promtool accepts', async () => {
    await http.get('/products/24').expect(200);
    await http.get('/products/24').expect(200);
    const res = await http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/cache_requests_total\{layer="l1",result="hit",group="products"\} \d+/);
    expect(res.text).toMatch(/cache_http_responses_total\{route="ProductsController.findOne",result="hit"\} \d+/);
    expect(res.text).toMatch(/cache_operation_duration_seconds_bucket\{le="0.001",layer="l2",operation="read"\} \d+/);
    expect(res.text).toMatch(/cache_invalidations_total\{kind="tag",source="admin"\} 1/);
    expect(res.text).toMatch(/cache_l1_bytes \d+/);
    expect(res.text).toMatch(/process_cpu_seconds_total/);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: res.text, encoding: 'utf8' });
    expect(check.error, 'promtool (Debian package prometheus) must be installed: npm test installs it').toBeUndefined();
    // prom-client's own default metrics name three gauges with a counter's suffix; the library
    // leaves the host's registry alone, so those lint findings (and nothing else) are expected.
    const findings = `${check.stdout}${check.stderr}`
      .split('\n')
      .filter(
        (line) => line.trim() && !/^nodejs_active_(handles|requests|resources)_total:? non-counter metrics/.test(line),
      );
    expect(findings).toEqual([]);
  });

  it('reports health: database and cache up', async () => {
    const { body } = await http.get('/health').expect(200);
    expect(body.status).toBe('ok');
    expect(body.info.database.status).toBe('up');
    expect(body.info.cache).toMatchObject({ status: 'up', l2: 'up', bus: 'subscribed' });
    // CACHE_CDC is off in e2e apps but the CDC test's (its health detail is checked there).
    expect(body.info.cdc).toBeUndefined();
  });

  it('documents the admin API in OpenAPI', async () => {
    const { body } = await http.get('/docs-json').expect(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/cache/stats', '/cache/invalidate', '/cache/keys']),
    );
  });
});
