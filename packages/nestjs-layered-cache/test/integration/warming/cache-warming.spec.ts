import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitFor } from '@internal/dev-services';
import { CacheService } from '../../../src/index.js';
import { CacheWarmingService, type WarmRun } from '../../../src/warming/index.js';
import { sleep, uniquePrefix } from '../../helpers/cache-instance.js';
import { bootWarmingApp, Counters, TOKEN, Warmers } from './warming.app.js';

describe('cache warming on BullMQ (two instances)', () => {
  const counters = new Counters();
  let a: INestApplication;
  let b: INestApplication;
  const http = () => request(a.getHttpServer());
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const settle = async (jobId: string) => {
    for (let i = 0; i < 100; i++) {
      const { body } = await http().get(`/cache/warm/${jobId}`).set(auth).expect(200);
      if (body.state === 'completed' || body.state === 'failed') return body;
      await sleep(100);
    }
    throw new Error(`job ${jobId} did not settle`);
  };

  beforeAll(async () => {
    const prefix = uniquePrefix('warm');
    // A schedule left in Redis by a warmer that is no longer in the code.
    const queue = new Queue('cache-warm', { connection: { url: inject('redisUrl') }, prefix: `${prefix}-bull` });
    await queue.upsertJobScheduler('warm:gone', { every: 60_000 }, { name: 'warm', data: { warmer: 'gone' } });
    a = await bootWarmingApp(prefix, counters, 'deploy-1');
    // Boot waits for the scheduler sync at most the connect timeout: wait on the removal itself.
    await waitFor(
      'the schedule of a warmer gone from the code removed',
      async () => !(await queue.getJobSchedulers(0, -1)).some((s) => s.key === 'warm:gone'),
    );
    await queue.close();
    b = await bootWarmingApp(prefix, counters, 'deploy-1');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('discovers warmers (inherited ones too) and lists them with schedule and next run', async () => {
    const { body } = await http().get('/cache/warmers').set(auth).expect(200);
    const names = body.map((w: { name: string }) => w.name).sort();
    expect(names).toEqual(['flaky', 'gated', 'inherited', 'items', 'refresh-ahead', 'ticker']);
    const ticker = body.find((w: { name: string }) => w.name === 'ticker');
    expect(ticker).toMatchObject({ schedule: 400, onStartup: false });
    expect(ticker.nextRun).toEqual(expect.any(Number));
    await request(a.getHttpServer()).get('/cache/warmers').expect(401);
  });

  it('runs a startup warmer once per deployment, and a scheduled one once per tick across instances', async () => {
    const queue = a.get(CacheWarmingService).queue;
    const runs = (name: string) => counters.runs.get(name) ?? 0;
    await waitFor('three ticks and the startup warmer', async () => runs('ticker') >= 3 && runs('items') >= 1);
    // Stop the schedule and let a tick in flight finish; then every run must be one scheduled job:
    // the two instances share one scheduler, and each tick's job ran on one of them, once.
    await queue.removeJobScheduler('warm:ticker');
    const pending = ['active', 'waiting', 'delayed', 'prioritized'] as const;
    await waitFor('no ticker job in flight', async () =>
      (await queue.getJobs([...pending])).every((job) => job.data.warmer !== 'ticker'),
    );
    const jobs = (await queue.getJobs(['completed', 'failed'])).filter((job) => job.data.warmer === 'ticker');
    expect(new Set(jobs.map((job) => job.repeatJobKey))).toEqual(new Set(['warm:ticker']));
    expect(runs('ticker')).toBe(jobs.length);
    expect(runs('items')).toBe(1);
  });

  it('runs a warmer on demand with progress and counts, and refuses unknown names listing the known ones', async () => {
    const bad = await http()
      .post('/cache/warm')
      .set(auth)
      .send({ warmers: ['items', 'nope'] })
      .expect(400);
    expect(bad.body.message).toMatch(/Unknown warmer\(s\): nope\. Known: .*items/);
    const { body } = await http()
      .post('/cache/warm')
      .set(auth)
      .send({ warmers: ['items'] })
      .expect(201);
    expect(body.jobs).toEqual([{ warmer: 'items', jobId: expect.any(String) }]);
    const job = await settle(body.jobs[0].jobId);
    expect(job).toMatchObject({ warmer: 'items', state: 'completed', progress: 100, done: 10, total: 10, items: 10 });
    expect(job.durationMs).toEqual(expect.any(Number));
  });

  it('stores exactly what the read path would, so the read that follows is a hit', async () => {
    const warmers = a.get(Warmers);
    const cache = b.get(CacheService);
    const loadsBefore = counters.loads.get('item:3');
    expect(await warmers.readItem(3)).toBe('value-3');
    expect(counters.loads.get('item:3')).toBe(loadsBefore);
    // Same tags as the read path: invalidating them drops the warmed entry on every instance.
    await cache.invalidateTags(['item:3']);
    expect(await cache.get('item:3')).toBeUndefined();
  });

  it('retries a failing warmer, marks it failed, and keeps the others working', async () => {
    const { body } = await http()
      .post('/cache/warm')
      .set(auth)
      .send({ warmers: ['flaky', 'inherited'] })
      .expect(201);
    const [flaky, inherited] = await Promise.all(body.jobs.map((j: { jobId: string }) => settle(j.jobId)));
    expect(flaky).toMatchObject({ state: 'failed', attempts: 2, error: 'the upstream is down' });
    expect(inherited).toMatchObject({ state: 'completed' });
    expect(counters.runs.get('flaky')).toBe(2);
    const listed = (await http().get('/cache/warmers').set(auth)).body;
    expect(listed.find((w: { name: string }) => w.name === 'flaky').last).toMatchObject({
      status: 'failed',
      error: 'the upstream is down',
    });
    expect(listed.find((w: { name: string }) => w.name === 'inherited').last).toMatchObject({ status: 'completed' });
  });

  it("announces runs on the cache module's events; a throwing listener breaks nothing", async () => {
    // The job runs on either instance: listen on both.
    const runs: WarmRun[] = [];
    const caches = [a.get(CacheService), b.get(CacheService)];
    const errorsBefore = caches.reduce((n, c) => n + c.stats().listenerErrors, 0);
    const offs = caches.flatMap((cache) => [
      // refresh-ahead runs every 250 ms meanwhile: only the run asked for here counts.
      cache.on('warming:run', (run) => {
        if (run.warmer === 'items') throw new Error('a broken listener');
      }),
      cache.on('warming:run', (run) => (run.warmer === 'items' ? runs.push(run) : undefined)),
    ]);
    try {
      const { body } = await http()
        .post('/cache/warm')
        .set(auth)
        .send({ warmers: ['items'] })
        .expect(201);
      expect(await settle(body.jobs[0].jobId)).toMatchObject({ state: 'completed', items: 10 });
      expect(runs).toEqual([{ warmer: 'items', status: 'completed', items: 10, durationMs: expect.any(Number) }]);
      expect(caches.reduce((n, c) => n + c.stats().listenerErrors, 0)).toBe(errorsBefore + 1);
    } finally {
      for (const off of offs) off();
    }
  });

  it('never stores a value invalidated while the warmer loaded it', async () => {
    const { body } = await http()
      .post('/cache/warm')
      .set(auth)
      .send({ warmers: ['gated'] })
      .expect(201);
    await counters.gateEntered.promise;
    await b.get(CacheService).invalidateTags(['gated']);
    counters.gate.resolve();
    const job = await settle(body.jobs[0].jobId);
    expect(job).toMatchObject({ state: 'completed', items: 0 });
    expect(await a.get(CacheService).get('gated')).toBeUndefined();
  });

  it('refreshes hot keys ahead of expiry: they never miss', async () => {
    const cache = a.get(CacheService);
    const load = (key: string) => async () => `${key}@${counters.bump(counters.loads, key)}`;
    const seen = new Set<string>();
    const until = Date.now() + 2500;
    let misses = 0;
    while (Date.now() < until) {
      const value = await cache.getOrSet(
        'hot:1',
        async () => {
          misses++;
          return load('hot:1')();
        },
        { ttl: 1000 },
      );
      seen.add(value);
      await sleep(50);
    }
    // TTL 1 s over 2.5 s: without refresh-ahead the read path would have missed at least twice.
    expect(misses).toBe(1);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    const hot = (await http().get('/cache/hot').set(auth).expect(200)).body;
    expect(hot[0]).toMatchObject({ key: 'hot:1', namespace: 'default' });
  });

  it('exports warm metrics', async () => {
    const { register } = await import('prom-client');
    const text = await register.metrics();
    expect(text).toMatch(/cache_warm_jobs_total\{warmer="items",status="completed"\} [1-9]/);
    expect(text).toMatch(/cache_warm_jobs_total\{warmer="flaky",status="failed"\} 1/);
    expect(text).toMatch(/cache_warm_items_total\{warmer="items"\} [1-9]/);
    expect(text).toMatch(/cache_warm_duration_seconds_count\{warmer="items"\} [1-9]/);
  });
});
