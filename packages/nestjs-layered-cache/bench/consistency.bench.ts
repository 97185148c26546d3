/**
 * Consistency benchmark: how fast an invalidation reaches the other instance's L1 (p50/p99), and
 * how many loader calls a cold key costs under concurrency across two instances, with and without
 * the distributed lock. `npm run bench`; writes bench/results/consistency.md.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CacheModule, CacheService, type CacheModuleOptions } from '../src/index.js';
import { startEmbeddedRedis } from '@internal/dev-services';

const INVALIDATIONS = Number(process.env.BENCH_INVALIDATIONS ?? 2000);
const STAMPEDE_CALLS = 1000;

async function instance(options: CacheModuleOptions): Promise<[CacheService, INestApplicationContext]> {
  const app = await NestFactory.createApplicationContext(CacheModule.forRoot(options), { logger: false });
  return [app.get(CacheService), app];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function propagation(url: string): Promise<number[]> {
  const prefix = `bench-prop-${process.pid}`;
  const [a, appA] = await instance({ prefix, redis: { url } });
  const [b, appB] = await instance({ prefix, redis: { url } });
  const latencies: number[] = [];
  let waiting: ((at: number) => void) | undefined;
  b.on('bus', () => waiting?.(performance.now()));
  for (let i = 0; i < INVALIDATIONS; i++) {
    await b.set(`k${i % 100}`, i, { tags: [`t${i % 100}`] });
    const arrived = new Promise<number>((resolve) => (waiting = resolve));
    const start = performance.now();
    await a.invalidateTags([`t${i % 100}`]);
    latencies.push((await arrived) - start);
    waiting = undefined;
  }
  await Promise.all([appA.close(), appB.close()]);
  return latencies.sort((x, y) => x - y);
}

async function stampede(url: string, lock: boolean): Promise<number> {
  const prefix = `bench-stampede-${lock}-${process.pid}`;
  const options: CacheModuleOptions = { prefix, redis: { url }, ...(lock ? {} : { lock: false }) };
  const [a, appA] = await instance(options);
  const [b, appB] = await instance(options);
  let loads = 0;
  const loader = async () => {
    loads++;
    await new Promise((r) => setTimeout(r, 20));
    return 'v';
  };
  await Promise.all(Array.from({ length: STAMPEDE_CALLS }, (_, i) => (i % 2 ? a : b).getOrSet('cold', loader)));
  await Promise.all([appA.close(), appB.close()]);
  return loads;
}

async function main(): Promise<void> {
  const server = process.env.BENCH_REDIS_URL ? undefined : await startEmbeddedRedis();
  const url = process.env.BENCH_REDIS_URL ?? server!.url;
  const latencies = await propagation(url);
  const [withLock, withoutLock] = [await stampede(url, true), await stampede(url, false)];
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const markdown = [
    '# Consistency benchmark',
    '',
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, one host, two instances in one process.`,
    '',
    `Invalidation → other instance's L1 evicted (invalidateTags call start to the bus message applied), ${latencies.length} invalidations:`,
    '',
    '| p50 | p90 | p99 | max | target p99 |',
    '|---:|---:|---:|---:|---:|',
    `| ${ms(percentile(latencies, 0.5))} | ${ms(percentile(latencies, 0.9))} | ${ms(percentile(latencies, 0.99))} | ${ms(latencies.at(-1)!)} | < 5 ms |`,
    '',
    `Stampede: ${STAMPEDE_CALLS} concurrent getOrSet of one cold key split across two instances (20 ms loader):`,
    '',
    '| distributed lock | loader calls |',
    '|---|---:|',
    `| on (default) | ${withLock} |`,
    `| off (in-process single-flight only) | ${withoutLock} |`,
    '',
  ].join('\n');
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/consistency.md', markdown);
  console.log(markdown);
  await server?.stop();
}

await main();
