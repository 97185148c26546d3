/**
 * Slow Redis: latency of cached reads (getOrSet of keys held in Redis, L1 off so every read asks
 * Redis) while a TCP proxy delays Redis's replies, with and without the soft timeout. The target:
 * p99 bounded by the soft timeout, not by Redis. `npm run bench`; writes bench/results/slow-redis.md.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { NestFactory } from '@nestjs/core';
import { CacheModule, CacheService, type CacheModuleOptions } from '../src/index.js';
import { startEmbeddedRedis } from '@internal/dev-services';
import { startLatencyProxy } from '@internal/dev-services';

const KEYS = 200;
const READS = Number(process.env.BENCH_SLOW_READS ?? 600);
const CONCURRENCY = 20;
/** What the loader costs (a fast primary-key query). */
const LOADER_MS = 2;
const SOFT_TIMEOUT = 50;

async function instance(options: CacheModuleOptions) {
  const app = await NestFactory.createApplicationContext(CacheModule.forRoot(options), { logger: false });
  return { cache: app.get(CacheService), close: () => app.close() };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** Per-read latency (ms, sorted) of READS getOrSet calls, CONCURRENCY at a time. */
async function measure(url: string, prefix: string, softTimeout: number): Promise<{ ms: number[]; loads: number }> {
  const reader = await instance({ prefix, l1: false, redis: { url, softTimeout, commandTimeout: 5000 } });
  let loads = 0;
  const loader = async () => {
    loads++;
    await sleep(LOADER_MS);
    return 'from the database';
  };
  const ms: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < READS) {
        const key = `k${next++ % KEYS}`;
        const started = performance.now();
        await reader.cache.getOrSet(key, loader);
        ms.push(performance.now() - started);
      }
    }),
  );
  await reader.close();
  return { ms: ms.sort((a, b) => a - b), loads };
}

async function main(): Promise<void> {
  const server = process.env.BENCH_REDIS_URL ? undefined : await startEmbeddedRedis();
  const url = process.env.BENCH_REDIS_URL ?? server!.url;
  const proxy = await startLatencyProxy(url);
  const prefix = `bench-slow-${process.pid}`;
  const writer = await instance({ prefix, l1: false, redis: { url } });
  for (let i = 0; i < KEYS; i++) await writer.cache.set(`k${i}`, { id: i, name: `product ${i}` }, { ttl: 600_000 });

  const rows: string[] = [];
  for (const delay of [0, 200]) {
    proxy.delay(delay);
    for (const soft of [0, SOFT_TIMEOUT]) {
      const { ms, loads } = await measure(proxy.url, prefix, soft);
      const f = (v: number) => `${v.toFixed(1)} ms`;
      rows.push(
        `| ${delay} ms | ${soft === 0 ? 'off (wait for Redis)' : `${soft} ms`} | ${f(percentile(ms, 0.5))} | ${f(percentile(ms, 0.99))} | ${f(ms.at(-1)!)} | ${loads} |`,
      );
    }
  }
  const markdown = [
    '# Slow Redis benchmark',
    '',
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}. ${READS} getOrSet reads of ${KEYS} keys held in Redis (L1 off), ${CONCURRENCY} at a time, through a TCP proxy delaying every reply; the loader takes ${LOADER_MS} ms.`,
    '',
    '| Redis reply delay | soft timeout | p50 | p99 | max | loader calls |',
    '|---:|---|---:|---:|---:|---:|',
    ...rows,
    '',
    `Target: with Redis slow, p99 ≤ soft timeout + loader time (${SOFT_TIMEOUT + LOADER_MS} ms plus scheduling), not the Redis delay.`,
    '',
  ].join('\n');
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/slow-redis.md', markdown);
  console.log(markdown);
  await writer.close();
  await proxy.close();
  await server?.stop();
}

await main();
