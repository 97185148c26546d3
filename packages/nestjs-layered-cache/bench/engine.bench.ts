/**
 * Engine benchmark: our hit paths side by side with peers in one process, one run.
 * `npm run bench` (set BENCH_REDIS_URL to use an existing Redis; otherwise a private one starts).
 * Writes bench/results/engine.md.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { createCache } from 'cache-manager';
import { Cacheable } from 'cacheable';
import { LRUCache } from 'lru-cache';
import { Redis } from 'ioredis';
import { Bench } from 'tinybench';
import { CacheModule, CacheService, type CacheModuleOptions } from '../src/index.js';
import { startEmbeddedRedis } from '@internal/dev-services';
import { median, ratioOf, rounds as runRounds, spread, type LoopCase } from './engine/closed-loop.js';

const product = {
  id: 42,
  sku: 'SKU-000042',
  name: 'Product 42',
  description: 'Demo product number 42 of the sample catalog.',
  price: '12.50',
  categoryId: 3,
  active: true,
  tags: ['a', 'b'],
};
const productWithDates = { ...product, createdAt: new Date(0), updatedAt: new Date(1) };
const KEY = 'product:42';
const load = async () => product;
const IN_FLIGHT = 50;
const MGET_KEYS = 100;
/** ms per network case per round, and its warm-up. */
const NET_MS = Number(process.env.BENCH_NET_MS ?? 1500);
const NET_WARMUP_MS = 300;
/** BENCH_ONLY=network skips the in-process cases. */
const ONLY_NETWORK = process.env.BENCH_ONLY === 'network';

async function ours(options: CacheModuleOptions): Promise<[CacheService, INestApplicationContext]> {
  const app = await NestFactory.createApplicationContext(CacheModule.forRoot(options), { logger: false });
  return [app.get(CacheService), app];
}

async function main(): Promise<void> {
  const redisServer = process.env.BENCH_REDIS_URL ? undefined : await startEmbeddedRedis();
  const redisUrl = process.env.BENCH_REDIS_URL ?? redisServer!.url;
  const { hostname, port } = new URL(redisUrl);

  const lru = new LRUCache<string, object>({ max: 10_000 });
  lru.set(KEY, product);
  const [tiered, tieredApp] = await ours({ prefix: 'bench-t', redis: { url: redisUrl } });
  await tiered.set(KEY, product);
  await tiered.set('dated', productWithDates);
  await tiered.get(KEY);
  await tiered.get('dated');
  const [remote, remoteApp] = await ours({ prefix: 'bench-t', l1: false, redis: { url: redisUrl } });
  const cm = createCache();
  await cm.set(KEY, product);
  const cacheable = new Cacheable();
  await cacheable.set(KEY, product);
  const bento = new BentoCache({
    default: 'm',
    stores: { m: bentostore().useL1Layer(memoryDriver({ maxSize: '100mb' })) },
  });
  await bento.set({ key: KEY, value: product });
  const bentoRedis = new BentoCache({
    default: 'r',
    stores: { r: bentostore().useL2Layer(redisDriver({ connection: { host: hostname, port: Number(port) } })) },
  });
  await bentoRedis.set({ key: KEY, value: product });
  const v8Bytes = serialize(product);

  const memory = new Bench({ time: 1500, warmup: true });
  memory
    .add('lru-cache: await get (ceiling of any async API)', async () => void (await lru.get(KEY)))
    .add('ours: L1-hit get (plain value, frozen & shared)', async () => void (await tiered.get(KEY)))
    .add('ours: hit getOrSet (plain value)', async () => void (await tiered.getOrSet(KEY, load)))
    .add('ours: L1-hit get (value with Dates, cloned per read)', async () => void (await tiered.get('dated')))
    .add('copy by v8.deserialize per read (the alternative to freezing)', async () => void deserialize(v8Bytes))
    .add('cache-manager 7: get', async () => void (await cm.get(KEY)))
    .add('cache-manager 7: wrap (hit)', async () => void (await cm.wrap(KEY, load)))
    .add('cacheable: get', async () => void (await cacheable.get(KEY)))
    .add('cacheable: getOrSet (hit)', async () => void (await cacheable.getOrSet(KEY, load)))
    .add('bentocache memory: get', async () => void (await bento.get({ key: KEY })))
    .add('bentocache memory: getOrSet (hit)', async () => void (await bento.getOrSet({ key: KEY, factory: load })));

  // Network: closed loops (see engine/closed-loop.ts), serial and IN_FLIGHT at a time, each case on its own connection.
  const raw = new Redis(redisUrl);
  const rawValue = Buffer.concat([Buffer.from([0x10]), v8Bytes]); // the bytes our entry holds (framed v8)
  await raw.set('raw:42', rawValue);
  // At runtime ioredis has a `…Buffer` variant of every command; its types omit this one.
  const evalshaBuffer = (
    raw as unknown as { evalshaBuffer: (...args: (string | number)[]) => Promise<Buffer> }
  ).evalshaBuffer.bind(raw);
  const sha = (await raw.script('LOAD', "return redis.call('GET', KEYS[1])")) as string;
  const mgetKeys = Array.from({ length: MGET_KEYS }, (_, i) => `p${i}`);
  const rawKeys = mgetKeys.map((key) => `raw:${key}`);
  for (const [i, key] of mgetKeys.entries()) {
    await tiered.set(key, product);
    await raw.set(rawKeys[i]!, rawValue);
  }
  const netCases: LoopCase[] = [];
  for (const inFlight of [1, IN_FLIGHT]) {
    const at = inFlight === 1 ? 'serial' : `${inFlight} in flight`;
    netCases.push(
      { name: `raw ioredis GET, ${at}`, inFlight, run: () => raw.getBuffer('raw:42') },
      {
        name: `raw ioredis EVALSHA (trivial GET script), ${at}`,
        inFlight,
        run: () => evalshaBuffer(sha, 1, 'raw:42'),
      },
      { name: `ours: L2-only hit get, ${at}`, inFlight, run: () => remote.get(KEY) },
      { name: `bentocache redis: L2-only hit get, ${at}`, inFlight, run: () => bentoRedis.get({ key: KEY }) },
      {
        name: `ours: L2-only mget ${MGET_KEYS} keys, ${at}`,
        inFlight,
        ops: MGET_KEYS,
        run: () => remote.mget(mgetKeys),
      },
      {
        name: `raw ioredis MGET ${MGET_KEYS} keys, ${at}`,
        inFlight,
        ops: MGET_KEYS,
        run: () => raw.mgetBuffer(...rawKeys),
      },
      {
        // What any cache must do at least: the round trip, then decode each value.
        name: `raw ioredis MGET ${MGET_KEYS} keys + v8 decode, ${at}`,
        inFlight,
        ops: MGET_KEYS,
        run: async () => (await raw.mgetBuffer(...rawKeys)).map((bytes) => deserialize(bytes!.subarray(1))),
      },
    );
  }

  // Several rounds: on a 2-core machine one round alone varies by ±20 %.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const samples = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    if (!ONLY_NETWORK) {
      memory.reset(); // tinybench 6 runs a task once unless reset: without this every round repeated the first
      await memory.run();
      for (const task of memory.tasks) {
        const period = (task.result as { period?: number }).period;
        samples.set(task.name, [...(samples.get(task.name) ?? []), period ? 1000 / period : 0]);
      }
    }
    for (const [name, values] of await runRounds(netCases, 1, NET_MS, NET_WARMUP_MS, round)) {
      samples.set(name, [...(samples.get(name) ?? []), ...values]);
    }
  }
  const ops = (name: string): number => median(samples.get(name)!);
  const rows = ONLY_NETWORK
    ? []
    : memory.tasks.map((t) => {
        const ceiling = ops('lru-cache: await get (ceiling of any async API)');
        return `| ${t.name} | ${spread(samples.get(t.name)!)} | ${(ops(t.name) / ceiling).toFixed(2)}× |`;
      });
  const ratio = (a: string, b: string) => ratioOf(samples.get(a)!, samples.get(b)!).text;
  const netRows = netCases.map((c) => `| ${c.name} | ${spread(samples.get(c.name)!)} |`);
  const netTargets: string[][] = [];
  for (const at of ['serial', `${IN_FLIGHT} in flight`]) {
    const ours = `ours: L2-only hit get, ${at}`;
    netTargets.push(
      [`L2-only get ≥ 1.0× bentocache redis get, ${at}`, ratio(ours, `bentocache redis: L2-only hit get, ${at}`)],
      [`L2-only get ≥ 0.8× raw EVALSHA, ${at}`, ratio(ours, `raw ioredis EVALSHA (trivial GET script), ${at}`)],
      [`(L2-only get vs raw GET, ${at})`, ratio(ours, `raw ioredis GET, ${at}`)],
      [
        `mget ${MGET_KEYS} ≥ 0.8× raw MGET, ${at}`,
        ratio(`ours: L2-only mget ${MGET_KEYS} keys, ${at}`, `raw ioredis MGET ${MGET_KEYS} keys, ${at}`),
      ],
      [
        `(mget ${MGET_KEYS} vs raw MGET + decode, ${at})`,
        ratio(`ours: L2-only mget ${MGET_KEYS} keys, ${at}`, `raw ioredis MGET ${MGET_KEYS} keys + v8 decode, ${at}`),
      ],
    );
  }
  const lruCeiling = 'lru-cache: await get (ceiling of any async API)';
  const memoryTargets = ONLY_NETWORK
    ? []
    : [
        ['L1-hit get ≥ 0.6× awaited lru-cache', ratio('ours: L1-hit get (plain value, frozen & shared)', lruCeiling)],
        ['hit getOrSet ≥ 0.6× awaited lru-cache', ratio('ours: hit getOrSet (plain value)', lruCeiling)],
        [
          'L1-hit get ≥ 2× cache-manager get',
          ratio('ours: L1-hit get (plain value, frozen & shared)', 'cache-manager 7: get'),
        ],
        [
          'hit getOrSet ≥ 2× cache-manager wrap',
          ratio('ours: hit getOrSet (plain value)', 'cache-manager 7: wrap (hit)'),
        ],
        [
          'L1-hit get ≥ 10× bentocache get',
          ratio('ours: L1-hit get (plain value, frozen & shared)', 'bentocache memory: get'),
        ],
        [
          'hit getOrSet ≥ 10× bentocache getOrSet',
          ratio('ours: hit getOrSet (plain value)', 'bentocache memory: getOrSet (hit)'),
        ],
      ];
  const load1 = loadavg()[0]!.toFixed(2);
  const markdown = [
    `# Engine benchmark`,
    '',
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, one process, ${rounds} interleaved rounds, value = a small product object; load average ${load1} at the end. Cells: median (min–max of rounds); ratios are per round (cases measured moments apart), median (min–max).`,
    '',
    ...(ONLY_NETWORK
      ? []
      : ['## In process (tinybench)', '', '| case | ops/s | × awaited lru-cache |', '|---|---:|---:|', ...rows, '']),
    `## Redis (closed loop: ${NET_MS} ms per case per round, serial or ${IN_FLIGHT} callers awaiting one call after another; own connection per case)`,
    '',
    'Raw ioredis rows are the physical limit: one `GET` / `EVALSHA` / `MGET` round trip of the same bytes our entry holds, nothing decoded (but the `+ v8 decode` row, which also decodes each value, as any cache must). Our get also checks the tag versions in that round trip and decodes the value.',
    '',
    '| case | ops/s (mget: keys/s) |',
    '|---|---:|',
    ...netRows,
    '',
    '| target | measured |',
    '|---|---:|',
    ...[...memoryTargets, ...netTargets].map(([name, value]) => `| ${name} | ${value} |`),
    '',
  ].join('\n');
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/engine.md', markdown);
  console.log(markdown);

  await Promise.all([
    tieredApp.close(),
    remoteApp.close(),
    raw.quit(),
    bento.disconnect(),
    bentoRedis.disconnect(),
    cm.disconnect(),
  ]);
  await redisServer?.stop();
}

await main();
