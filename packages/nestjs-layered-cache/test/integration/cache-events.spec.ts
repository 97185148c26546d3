import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheService, type CacheEventMap } from '../../src/index.js';
import { createTestingCache } from '../../src/testing/index.js';
import { bootScenario } from '../http/http-cache.app.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

describe('one event mechanism: the cache module’s emitter', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('announces every get and getOrSet (hit or miss) as `access`, with the full namespace', async () => {
    const { cache, close } = await createTestingCache();
    closers.push(close);
    const reads: CacheEventMap['access'][] = [];
    const off = cache.on('access', (read) => reads.push(read));
    await cache.get('a');
    await cache.getOrSet('b', () => 1);
    await cache.getOrSet('b', () => 2);
    await cache.namespace('tenant-1').get('c');
    off();
    await cache.get('d');
    expect(reads).toEqual([
      { namespace: 'default', key: 'a' },
      { namespace: 'default', key: 'b' },
      { namespace: 'default', key: 'b' },
      { namespace: 'default.tenant-1', key: 'c' },
    ]);
  });

  it('keeps reads working when a listener throws, and counts it', async () => {
    const { cache, close } = await createTestingCache();
    closers.push(close);
    await cache.set('k', 'v');
    for (const name of ['access', 'hit'] as const) {
      cache.on(name, () => {
        throw new Error(`a broken ${name} listener`);
      });
    }
    expect(await cache.get('k')).toBe('v');
    expect(await cache.getOrSet('k', () => 'other')).toBe('v');
    expect(cache.stats().listenerErrors).toBe(4);
  });

  it('announces HTTP cache outcomes as `http:result`; a throwing listener breaks no request', async () => {
    const app = await bootScenario('express', { prefix: uniquePrefix('events-http'), redis: false });
    closers.push(() => app.close());
    const cache = app.get(CacheService);
    const results: CacheEventMap['http:result'][] = [];
    cache.on('http:result', () => {
      throw new Error('a broken listener');
    });
    cache.on('http:result', (e) => results.push(e));
    const http = request(app.getHttpServer());
    expect((await http.get('/items/1').expect(200)).headers['x-cache']).toBe('MISS');
    expect((await http.get('/items/1').expect(200)).headers['x-cache']).toBe('HIT');
    expect(results.map((r) => r.result)).toEqual(['miss', 'hit']);
    expect(results[0]!.route).toBe('ItemsController.get');
    expect(cache.stats().http).toMatchObject({ misses: 1, hits: 1 });
  });
});
