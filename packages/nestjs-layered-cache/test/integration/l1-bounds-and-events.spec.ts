import { afterEach, describe, expect, it } from 'vitest';
import type { CacheEventMap } from '../../src/index.js';
import { createCacheInstance, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';

describe('L1 bounds and engine events', () => {
  let instance: CacheInstance | undefined;
  afterEach(() => instance?.close());

  it('keeps L1 within its byte and entry limits, evicting least recently used entries', async () => {
    instance = await createCacheInstance({
      prefix: uniquePrefix('bounds'),
      redis: false,
      l1: { maxBytes: 20_000, maxEntries: 1000, maxEntryBytes: 8_000 },
    });
    const { cache } = instance;
    const value = 'x'.repeat(1000);
    for (let i = 0; i < 100; i++) await cache.set(`k${i}`, value);
    const { l1 } = cache.stats();
    expect(l1!.bytes).toBeLessThanOrEqual(20_000);
    expect(l1!.entries).toBeLessThan(100);
    expect(await cache.get('k99')).toBe(value);
    expect(await cache.get('k0')).toBeUndefined();

    await cache.set('huge', 'y'.repeat(10_000));
    expect(await cache.get('huge')).toBeUndefined();
  });

  it('emits typed events with key groups, never raw keys', async () => {
    instance = await createCacheInstance({ prefix: uniquePrefix('events'), redis: false });
    const { cache } = instance;
    const seen: { name: string; event: unknown }[] = [];
    const names = ['hit', 'miss', 'set', 'delete', 'invalidate', 'clear'] as const;
    const offs = names.map((name) => cache.on(name, (event: CacheEventMap[typeof name]) => seen.push({ name, event })));
    await cache.getOrSet('product:42', () => 'v', { tags: ['product:42'] });
    await cache.get('product:42');
    await cache.delete('product:42');
    await cache.invalidateTags(['products']);
    await cache.clear();
    offs.forEach((off) => off());
    await cache.get('product:42');

    expect(seen).toEqual([
      { name: 'miss', event: { group: 'product' } },
      { name: 'set', event: { layer: 'l1', group: 'product', bytes: expect.any(Number) } },
      { name: 'hit', event: { layer: 'l1', group: 'product', stale: false } },
      { name: 'delete', event: { group: 'product' } },
      { name: 'invalidate', event: { tags: ['products'], source: 'api' } },
      { name: 'clear', event: { namespace: 'default', source: 'api' } },
    ]);
  });
});
