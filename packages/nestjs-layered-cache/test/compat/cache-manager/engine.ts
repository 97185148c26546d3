import { randomBytes, randomUUID } from 'node:crypto';
import type { Keyv } from 'keyv';
import { afterAll, beforeAll, inject } from 'vitest';
import { createEngineKeyv } from '../../../src/cache-manager/cache-manager.provider.js';
import { CACHE_L2_INSPECTOR } from '../../../src/cache.internal-constants.js';
import type { L2Inspector } from '../../../src/l2/l2-inspector.js';
import { createCacheInstance, uniquePrefix, type CacheInstance } from '../../helpers/cache-instance.js';

/**
 * What the ported cache-manager tests get instead of `new Keyv()`: the Keyv `CacheManagerModule`
 * builds (same function), over a real engine (L1 + Redis), one fresh namespace per call so tests
 * never see each other's keys. Registers its own beforeAll/afterAll.
 */
export function useEngine(): { keyv: () => Keyv } {
  let instance: CacheInstance;
  let inspector: L2Inspector;
  let n = 0;
  beforeAll(async () => {
    instance = await createCacheInstance({ prefix: uniquePrefix('cm7'), redis: { url: inject('redisUrl') } });
    inspector = instance.app.get(CACHE_L2_INSPECTOR);
  });
  afterAll(() => instance.close());
  return { keyv: () => createEngineKeyv(instance.cache.namespace(`t${++n}`), inspector) };
}

/** Stands in for faker's `string.alpha(20)` / `string.sample()` (faker is not a dependency here). */
export const alpha = (): string =>
  randomBytes(15)
    .toString('base64url')
    .replace(/[-_\d]/g, 'x')
    .slice(0, 20);
export const sample = (): string => randomUUID();
export const between = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));
export const sleep = async (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
