/**
 * Engine benchmark: our hit paths side by side with peers in one process, one run.
 * `npm run bench` (set BENCH_REDIS_URL to use an existing Redis; otherwise a private one starts).
 * Writes bench/results/engine.md.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { createCache } from 'cache-manager';
import { Cacheable } from 'cacheable';
import { LRUCache } from 'lru-cache';
import { Bench } from 'tinybench';
import { CacheModule, CacheService, type CacheModuleOptions } from '../src/index.js';
import { startEmbeddedRedis } from '@internal/dev-services';

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
  const network = new Bench({ time: 1500, warmup: true });
  network
    .add('ours: L2-only hit get (Redis, 1 round trip)', async () => void (await remote.get(KEY)))
    .add('bentocache redis: L2-only hit get', async () => void (await bentoRedis.get({ key: KEY })));

  // Several rounds, median per case: on a 2-core machine one round alone varies by ±20 %.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const samples = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const bench of [memory, network]) {
      await bench.run();
      for (const task of bench.tasks) {
        const period = (task.result as { period?: number }).period;
        samples.set(task.name, [...(samples.get(task.name) ?? []), period ? 1000 / period : 0]);
      }
    }
  }
  const ops = (_bench: Bench, name: string): number => {
    const sorted = [...samples.get(name)!].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const ceiling = ops(memory, 'lru-cache: await get (ceiling of any async API)');
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const rows = [...memory.tasks, ...network.tasks].map((t) => {
    const bench = memory.tasks.includes(t) ? memory : network;
    const value = ops(bench, t.name);
    return `| ${t.name} | ${fmt(value)} | ${bench === memory ? (value / ceiling).toFixed(2) + '×' : '—'} |`;
  });
  const ratio = (a: string, b: string, bench = memory) => (ops(bench, a) / ops(bench, b)).toFixed(1) + '×';
  const targets = [
    [
      'L1-hit get ≥ 0.6× awaited lru-cache',
      ratio('ours: L1-hit get (plain value, frozen & shared)', 'lru-cache: await get (ceiling of any async API)'),
    ],
    [
      'hit getOrSet ≥ 0.6× awaited lru-cache',
      ratio('ours: hit getOrSet (plain value)', 'lru-cache: await get (ceiling of any async API)'),
    ],
    [
      'L1-hit get ≥ 2× cache-manager get',
      ratio('ours: L1-hit get (plain value, frozen & shared)', 'cache-manager 7: get'),
    ],
    ['hit getOrSet ≥ 2× cache-manager wrap', ratio('ours: hit getOrSet (plain value)', 'cache-manager 7: wrap (hit)')],
    [
      'L1-hit get ≥ 10× bentocache get',
      ratio('ours: L1-hit get (plain value, frozen & shared)', 'bentocache memory: get'),
    ],
    [
      'hit getOrSet ≥ 10× bentocache getOrSet',
      ratio('ours: hit getOrSet (plain value)', 'bentocache memory: getOrSet (hit)'),
    ],
    [
      'L2-only get vs bentocache redis get',
      ratio('ours: L2-only hit get (Redis, 1 round trip)', 'bentocache redis: L2-only hit get', network),
    ],
  ];
  const markdown = [
    `# Engine benchmark`,
    '',
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, tinybench, one process, median of ${rounds} rounds, value = a small product object.`,
    '',
    '| case | ops/s | × awaited lru-cache |',
    '|---|---:|---:|',
    ...rows,
    '',
    '| target | measured |',
    '|---|---:|',
    ...targets.map(([name, value]) => `| ${name} | ${value} |`),
    '',
  ].join('\n');
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/engine.md', markdown);
  console.log(markdown);

  await Promise.all([
    tieredApp.close(),
    remoteApp.close(),
    bento.disconnect(),
    bentoRedis.disconnect(),
    cm.disconnect(),
  ]);
  await redisServer?.stop();
}

await main();
