import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { inject } from 'vitest';
import { CacheModule, CacheService, type CacheModuleOptions } from '../../src/index.js';

let counter = 0;
/** Test files run in separate processes, each counting from 0: this tells them apart. */
const processTag = randomBytes(3).toString('hex');

/** A prefix no other test (or run sharing TEST_REDIS_URL) uses. */
export function uniquePrefix(label = 'c'): string {
  return `${inject('runId')}.${label}${processTag}${++counter}`;
}

export interface CacheInstance {
  cache: CacheService;
  app: INestApplicationContext;
  close(): Promise<void>;
}

/** Boots a real Nest application context with `CacheModule.forRoot(options)`. */
export async function createCacheInstance(options: CacheModuleOptions): Promise<CacheInstance> {
  const moduleRef = await Test.createTestingModule({ imports: [CacheModule.forRoot(options)] }).compile();
  const app = await moduleRef.init();
  return { cache: app.get(CacheService), app, close: () => app.close() };
}

/** A promise plus the function that settles it, to hold a loader at a chosen point. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
