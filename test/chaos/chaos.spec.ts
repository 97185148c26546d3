import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createChaosDatabase,
  DEMO_USER,
  startInstance,
  type ChaosDatabase,
  type ChaosInstance,
  type ExitRecord,
} from './chaos-cluster.js';
import {
  cacheDegraded,
  crossInstanceRead,
  databaseDown,
  formatTable,
  gaugesReach,
  healthy,
  metric,
  summarize,
  waitForHealth,
  waitUntil,
  type HealthView,
  type PhaseRow,
} from './chaos-checks.js';
import { expectCommon, expectDatabase503, expectDatabaseServes, type PhaseResult } from './chaos-expectations.js';
import { startChaosRedis, type ChaosRedis } from './chaos-redis.js';
import { ChaosTraffic, send, type Endpoint } from './chaos-traffic.js';
import { startPgProxy, type PgProxy } from './pg-proxy.js';

/** Products read before the faults and never written: every read of them can be served by the cache. */
const CACHED_IDS = [1, 2, 3, 4, 5, 6, 7, 8];
/** The product the loop writes (and the recovery check reads across instances). */
const WRITTEN_ID = 20;
/** Generous bounds ("never hangs"), not timing assertions: a busy machine stays far inside them. */
const HEALTH_WAIT_MS = 30_000;
const FLUSH_WAIT_MS = 45_000;
/** Longer than every Redis timeout of the app (command 1 s, connect 2 s, bus heartbeat, breaker). */
const REDIS_FREEZE_MS = 8000;
/** Postgres faults: longer than the query and connect timeouts below, shorter than write-behind's 5 retries. */
const PG_FAULT_MS = 5000;
/** Documents read through write-behind before each fault (all answered 200, so all must be counted). */
const COUNTED_READS = 10;
const UP = { l2Up: 1, busSubscribed: 1 };
const DOWN = { l2Up: 0, busSubscribed: 0 };

describe('chaos: two whole app instances under Redis and Postgres faults', () => {
  let db: ChaosDatabase;
  let redis: ChaosRedis;
  let proxy: PgProxy;
  const instances: ChaosInstance[] = [];
  let endpoints: Endpoint[];
  let traffic: ChaosTraffic;
  let cookie = '';
  let countedReads = 0;
  const exits: (ExitRecord & { phase: string })[] = [];
  let phase = 'boot';
  const rows: PhaseRow[] = [];

  let start: (name: string) => Promise<ChaosInstance>;
  const warm = async (list: Endpoint[]) => {
    for (const e of list) for (const id of [...CACHED_IDS, WRITTEN_ID]) await send(`${e.url}/products/${id}`);
  };
  /**
   * "Reads the cache can serve" must be in the cache when the fault starts: an earlier phase may
   * have emptied it (an empty Redis, L1 dropped while the bus was down). Waits until every such
   * read is a hit on every instance.
   */
  const cachedEverywhere = async () => {
    for (const e of endpoints) {
      for (const id of CACHED_IDS) {
        const hit = await waitUntil(
          async () => (await send(`${e.url}/products/${id}`)).headers?.get('x-cache') === 'HIT',
          HEALTH_WAIT_MS,
        );
        expect(hit, `product ${id} cached on ${e.name} before the fault`).toBe(true);
      }
    }
  };
  /**
   * An instance that exited in an earlier phase (a failure already reported there) is started
   * again, so that each phase is judged on its own.
   */
  const restartExited = async () => {
    for (const [i, instance] of instances.entries()) {
      if (!instance.exited()) continue;
      await instance.stop();
      instances[i] = await start(instance.name);
      endpoints[i].url = instances[i].url;
      endpoints[i].token = instances[i].adminToken;
      await warm([endpoints[i]]);
    }
  };

  const login = async (): Promise<string> => {
    const r = await fetch(`${endpoints[0].url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_USER),
    });
    expect(r.status, 'login').toBe(200);
    return r.headers.getSetCookie()[0].split(';')[0];
  };
  const me = (e: Endpoint) => send(`${e.url}/auth/me`, { headers: { cookie } });

  /** Reads of a document while everything is up: each answered 200 is a count write-behind must keep. */
  const countReads = async () => {
    for (let i = 0; i < COUNTED_READS; i++) {
      const e = endpoints[i % endpoints.length];
      const r = await send(`${e.url}/documents/${db.documentUuid}`, { headers: { cookie } });
      expect(r.status, `counted read on ${e.name}`).toBe(200);
      countedReads++;
    }
  };
  const accessCount = async () =>
    Number(
      (await db.query<{ n: number }>('SELECT access_count AS n FROM documents WHERE uuid = $1', [db.documentUuid]))[0]
        .n,
    );
  const flushed = () => waitUntil(async () => (await accessCount()) === countedReads, FLUSH_WAIT_MS);

  beforeAll(async () => {
    db = await createChaosDatabase(inject('databaseUrl'), 40);
    redis = await startChaosRedis();
    proxy = await startPgProxy(db.url);
    const env = {
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: proxy.url,
      REDIS_URL: redis.url,
      CACHE_PREFIX: 'chaos',
      SEED_PRODUCTS: '40',
      SEED_DOCUMENTS: '0',
      LOGIN_LIMIT_PER_IP: '100000',
      LOGIN_LIMIT_PER_ACCOUNT: '100000',
      SESSION_SECRET: 'chaos-suite-session-secret-of-at-least-32-chars',
      // Short database timeouts keep the Postgres phases short; the defaults are documented in .env.example.
      DATABASE_STATEMENT_TIMEOUT: '1500',
      DATABASE_QUERY_TIMEOUT: '2000',
      DATABASE_CONNECT_TIMEOUT: '2000',
      // Every background loop runs often enough to run during each phase.
      CACHE_REFRESH_AHEAD_INTERVAL: '1000',
      CACHE_ADMIN_HISTORY_INTERVAL: '1000',
      WRITE_BEHIND_FLUSH_INTERVAL: '500',
    };
    start = (name) => startInstance(name, env, (record) => exits.push({ ...record, phase }));
    instances.push(...(await Promise.all(['A', 'B'].map(start))));
    endpoints = instances.map((i) => ({ name: i.name, url: i.url, token: i.adminToken }));
    cookie = await login();
    await warm(endpoints);
    traffic = new ChaosTraffic(endpoints, CACHED_IDS, WRITTEN_ID, 0);
  }, 240_000);

  afterAll(async () => {
    await traffic?.stop();
    process.stdout.write(`\nchaos suite, per phase:\n${formatTable(rows)}\n`);
    if (exits.length > 0) process.stdout.write(`exits: ${JSON.stringify(exits)}\n`);
    await Promise.all(instances.map((i) => i.stop()));
    await proxy?.close();
    await redis?.stop();
    await db?.drop();
  }, 60_000);

  interface Phase {
    name: string;
    fault: () => Promise<void> | void;
    /** What /health must say during the fault. */
    during: (h: HealthView) => boolean;
    /** How long the fault lasts at least (it also lasts until /health has said so on both). */
    holdMs: number;
    recover: () => Promise<void> | void;
    /** `cache_l2_up` and `cache_bus_subscribed` during the fault. */
    gaugesDuring: { l2Up: number; busSubscribed: number };
    /** Before the fault (e.g. write-behind flushed before Redis loses everything). */
    before?: () => Promise<void>;
  }

  const httpHits = async (e: Endpoint) => (await metric(e, 'cache_http_responses_total', 'result="hit"')) ?? 0;

  /** Runs one phase under traffic and returns what was seen, for that phase's assertions. */
  const runPhase = async (p: Phase): Promise<PhaseResult> => {
    await restartExited();
    // A session lost in an earlier phase (an empty Redis, or a failure there) is not this phase's loss.
    if ((await me(endpoints[0])).status !== 200) cookie = await login();
    phase = p.name;
    await countReads();
    if (p.before) await p.before();
    await cachedEverywhere();
    const hitsBefore = await Promise.all(endpoints.map(httpHits));
    const from = traffic.samples.length;
    traffic.start();
    const faultAt = Date.now();
    await p.fault();
    const seenDuring: HealthView[] = [];
    const healthSawFault = await waitForHealth(endpoints, p.during, HEALTH_WAIT_MS, seenDuring);
    const metricsDuring = await gaugesReach(endpoints, p.gaugesDuring, HEALTH_WAIT_MS);
    // The fault lasts its time, and until the loop has had writes answered under it.
    await waitUntil(
      async () => Date.now() - faultAt >= p.holdMs && traffic.since(from).filter((s) => s.kind === 'write').length >= 3,
      p.holdMs + HEALTH_WAIT_MS,
    );
    await p.recover();
    const seenAfter: HealthView[] = [];
    const healthRecovered = await waitForHealth(endpoints, healthy, HEALTH_WAIT_MS * 2, seenAfter);
    // Under traffic, as in production: cache_l2_up follows operations, and an idle instance has none.
    const metricsAfter = await gaugesReach(endpoints, UP, HEALTH_WAIT_MS);
    await traffic.stop();
    const hitsDuring = (await Promise.all(endpoints.map(httpHits))).map((n, i) => n - hitsBefore[i]);
    const samples = traffic.since(from);
    const checks = [
      await crossInstanceRead(traffic, WRITTEN_ID, endpoints[0], endpoints[1]),
      await crossInstanceRead(traffic, WRITTEN_ID, endpoints[1], endpoints[0]),
    ];
    const phaseExits = exits.filter((x) => x.phase === p.name);
    rows.push(summarize(p.name, samples, phaseExits.length, checks.filter((c) => c.read !== c.wrote).length));
    const output = instances.map((i) => `--- ${i.name}:\n${i.output()}`).join('\n');
    return {
      output,
      samples,
      healthSawFault,
      seenDuring,
      healthRecovered,
      seenAfter,
      checks,
      phaseExits,
      metricsDuring,
      metricsAfter,
      hitsDuring,
    };
  };

  /** Sessions survive and write-behind counts reach the database. */
  const expectNothingLost = async (name: string) => {
    for (const e of endpoints) expect((await me(e)).status, `${name}: session on ${e.name}`).toBe(200);
    const done = await flushed();
    expect(done ? countedReads : await accessCount(), `${name}: counted document reads in the database`).toBe(
      countedReads,
    );
  };

  it('Redis frozen (SIGSTOP) longer than every timeout: no exit, cached reads served, writes applied', async () => {
    const r = await runPhase({
      name: 'redis-sigstop',
      fault: () => redis.pause(),
      during: cacheDegraded,
      gaugesDuring: DOWN,
      holdMs: REDIS_FREEZE_MS,
      recover: () => redis.resume(),
    });
    expectCommon('redis-sigstop', r);
    expectDatabaseServes('redis-sigstop', r);
    await expectNothingLost('redis-sigstop');
  }, 180_000);

  it('Redis killed (SIGKILL) and restarted on the same port with its data', async () => {
    const r = await runPhase({
      name: 'redis-sigkill',
      fault: () => redis.kill(),
      during: cacheDegraded,
      gaugesDuring: DOWN,
      holdMs: 1000,
      recover: () => redis.start(),
    });
    expectCommon('redis-sigkill', r);
    expectDatabaseServes('redis-sigkill', r);
    await expectNothingLost('redis-sigkill');
  }, 180_000);

  it('Redis restarted empty (tag counters, locks, sessions, queues gone): no stale read, sessions ask to log in again', async () => {
    const r = await runPhase({
      name: 'redis-empty',
      // What write-behind holds is flushed first: an empty Redis has lost whatever was still pending.
      before: async () => expect(await flushed(), 'write-behind flushed before the wipe').toBe(true),
      fault: () => redis.kill(),
      during: cacheDegraded,
      gaugesDuring: DOWN,
      holdMs: 1000,
      recover: () => redis.start({ empty: true }),
    });
    expectCommon('redis-empty', r);
    expectDatabaseServes('redis-empty', r);
    // Sessions lived only in that Redis: the old cookie is a clean 401, and logging in again works.
    for (const e of endpoints) expect((await me(e)).status, `old session on ${e.name}`).toBe(401);
    cookie = await login();
    await expectNothingLost('redis-empty');
  }, 180_000);

  it('Postgres stalled (connections open, no answers): writes 503 with Retry-After in bounded time, cached reads served', async () => {
    const r = await runPhase({
      name: 'pg-stall',
      fault: () => proxy.stall(),
      during: databaseDown,
      gaugesDuring: UP,
      holdMs: PG_FAULT_MS,
      recover: () => proxy.restore(),
    });
    expectCommon('pg-stall', r);
    expectDatabase503('pg-stall', r);
    await expectNothingLost('pg-stall');
  }, 180_000);

  it('Postgres refusing connections: writes 503 with Retry-After, cached reads served', async () => {
    const r = await runPhase({
      name: 'pg-refused',
      fault: () => proxy.refuse(),
      during: databaseDown,
      gaugesDuring: UP,
      holdMs: PG_FAULT_MS,
      recover: () => proxy.restore(),
    });
    expectCommon('pg-refused', r);
    expectDatabase503('pg-refused', r);
    await expectNothingLost('pg-refused');
  }, 180_000);
});
