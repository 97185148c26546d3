import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedRedis, waitFor, type EmbeddedRedis } from '@internal/dev-services';
import { uniquePrefix } from '../../helpers/cache-instance.js';
import { bootWarmingApp, Counters, TOKEN } from './warming.app.js';

/**
 * Warming keeps its schedulers and startup runs in Redis. An application that boots while Redis
 * is down must boot, and a Redis that comes back empty must not silently end scheduled warming.
 */
describe('cache warming across Redis outages (private Redis, stopped and restarted empty)', () => {
  let server: EmbeddedRedis;
  let app: INestApplication | undefined;
  let queue: Queue;
  const counters = new Counters();
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const prefix = uniquePrefix('warm-outage');
  const runs = (name: string) => counters.runs.get(name) ?? 0;
  const scheduled = async () => (await queue.getJobSchedulers(0, -1)).some((s) => s.key === 'warm:ticker');

  beforeAll(async () => {
    server = await startEmbeddedRedis();
    queue = new Queue('cache-warm', { connection: { url: server.url }, prefix: `${prefix}-bull` });
    queue.on('error', () => undefined);
  });
  afterAll(async () => {
    await app?.close();
    await queue.close();
    await server.stop();
  });

  it('boots while Redis is down, then schedules and runs the startup warmer once it is back', async () => {
    await server.pause();
    // Before: the scheduler sync waited for Redis (boot held for the whole outage) and the startup
    // claim rejected on the fail-fast client, which failed the boot (the sample app exited).
    app = await bootWarmingApp(prefix, counters, 'deploy-outage', { url: server.url, connectTimeout: 300 });
    expect(runs('items')).toBe(0);
    // The admin API asks the queue, whose connection holds commands while Redis is down: a 503
    // naming the cause, not a request that waits for the outage.
    for (const path of ['/cache/warmers', '/cache/warm', '/cache/warm/123', '/cache/hot']) {
      const res = await request(app.getHttpServer()).get(path).set(auth).expect(503);
      expect(res.body.message, path).toMatch(/Redis \(the warming queue\) (did not answer within 300 ms|failed)/);
    }
    await server.restart();
    await waitFor('the scheduler set once Redis is back', scheduled);
    await waitFor('the startup warmer and scheduled ticks', async () => runs('items') === 1 && runs('ticker') >= 1);
  });

  it('sets the schedulers again when Redis restarts empty', async () => {
    const probe = new Redis(server.url);
    await probe.set('marker', 'kept only by a Redis that was not emptied');
    await probe.quit();
    await server.pause();
    await server.restart();
    const after = new Redis(server.url);
    expect(await after.get('marker')).toBeNull(); // it did come back empty
    await after.quit();
    await waitFor('the scheduler set again', scheduled);
    const before = runs('ticker');
    await waitFor('scheduled ticks again', async () => runs('ticker') > before);
    expect(runs('items')).toBe(1); // the startup claim is per deployment: not run again by a reconnect
  });
});
