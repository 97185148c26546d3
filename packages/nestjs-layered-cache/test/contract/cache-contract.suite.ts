import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CacheKeyError, CacheSerializationError, type CacheModuleOptions, type CacheService } from '../../src/index.js';
import { createCacheInstance, deferred, sleep, type CacheInstance } from '../helpers/cache-instance.js';

/**
 * The contract checks answers (a get after a set, a stale value within grace), which a soft
 * timeout gives up by design (a read Redis is late to answer is a miss): a busy machine must not
 * make it fire here. What soft timeouts cost and never cost is tested where they are made to fire
 * (slow-redis-fills.spec.ts, the consistency checker's stress runs).
 */
const CONTRACT_SOFT_TIMEOUT = 3000;

function answering(options: CacheModuleOptions): CacheModuleOptions {
  if (!options.redis || options.redis.softTimeout !== undefined) return options;
  return { ...options, redis: { ...options.redis, softTimeout: CONTRACT_SOFT_TIMEOUT } };
}

/**
 * What every stack must do, whatever its tiers and Redis topology. Called by the spec files of
 * each setup (cache.contract.spec.ts; the cluster and sentinel specs run it on those topologies).
 */
export function describeCacheContract(
  name: string,
  options: () => CacheModuleOptions | Promise<CacheModuleOptions>,
): void {
  describe(`cache contract: ${name}`, () => {
    let instance: CacheInstance;
    let cache: CacheService;

    beforeEach(async () => {
      instance = await createCacheInstance(answering(await options()));
      cache = instance.cache;
    });
    afterEach(() => instance.close());

    it('returns undefined for a missing key and the value after set', async () => {
      expect(await cache.get('missing')).toBeUndefined();
      expect(await cache.has('missing')).toBe(false);
      await cache.set('answer', { value: 42 });
      expect(await cache.get('answer')).toEqual({ value: 42 });
      expect(await cache.has('answer')).toBe(true);
    });

    it('round-trips Date, BigInt, Map, Set, Buffer and nesting with their types', async () => {
      const value = {
        at: new Date('2026-01-02T03:04:05.678Z'),
        big: 2n ** 70n,
        map: new Map<string, unknown>([['a', { n: 1 }]]),
        set: new Set([1, 'two']),
        buf: Buffer.from('bytes'),
        nested: [{ deep: [null, true, 1.5, 'x'] }],
      };
      await cache.set('typed', value);
      const back = await cache.get<typeof value>('typed');
      expect(back).toEqual(value);
      expect(back!.at).toBeInstanceOf(Date);
      expect(typeof back!.big).toBe('bigint');
      expect(back!.map).toBeInstanceOf(Map);
      expect(back!.set).toBeInstanceOf(Set);
      expect(Buffer.isBuffer(back!.buf)).toBe(true);
    });

    it('hands out values a caller cannot corrupt for the next caller', async () => {
      await cache.set('plain', { list: [1, 2], name: 'a' });
      const first = await cache.get<{ list: number[]; name: string }>('plain');
      expect(() => first!.list.push(3)).toThrow(TypeError);
      await cache.set('rich', { at: new Date(0), tags: new Set(['x']) });
      const rich = await cache.get<{ at: Date; tags: Set<string> }>('rich');
      rich!.at.setTime(5);
      rich!.tags.add('y');
      expect(await cache.get('rich')).toEqual({ at: new Date(0), tags: new Set(['x']) });
    });

    it('returns the cached copy from getOrSet, not the loader object', async () => {
      const original = { n: 1 };
      const got = await cache.getOrSet('own', () => original);
      expect(got).toEqual(original);
      expect(got).not.toBe(original);
      expect(Object.isFrozen(original)).toBe(false);
    });

    it('deletes a key', async () => {
      await cache.set('gone', 1);
      expect(await cache.delete('gone')).toBe(true);
      expect(await cache.get('gone')).toBeUndefined();
      expect(await cache.delete('gone')).toBe(false);
    });

    it('expires entries after their ttl (ms)', async () => {
      // Long enough that a slow Redis (the stress runs) still answers the first read within it.
      await cache.set('short', 'v', { ttl: 400 });
      expect(await cache.get('short')).toBe('v');
      await vi.waitFor(async () => expect(await cache.get('short')).toBeUndefined(), { timeout: 5000 });
    });

    it('getOrSet loads once, then serves from cache', async () => {
      const loader = vi.fn(async () => ({ n: 1 }));
      expect(await cache.getOrSet('k', loader)).toEqual({ n: 1 });
      expect(await cache.getOrSet('k', loader)).toEqual({ n: 1 });
      expect(loader).toHaveBeenCalledTimes(1);
    });

    it('runs the loader once for concurrent misses of one key (single-flight)', async () => {
      const gate = deferred();
      const loader = vi.fn(async () => {
        await gate.promise;
        return 'v';
      });
      const calls = Array.from({ length: 25 }, () => cache.getOrSet('hot', loader));
      await vi.waitFor(() => expect(loader).toHaveBeenCalled());
      gate.resolve();
      expect(await Promise.all(calls)).toEqual(Array(25).fill('v'));
      expect(loader).toHaveBeenCalledTimes(1);
    });

    it('gives callers whose shared load was refused one new load between them', async () => {
      const gate = deferred();
      const loader = vi.fn(async () => {
        await gate.promise;
        return 'v';
      });
      const calls = Array.from({ length: 5 }, () => cache.getOrSet('refused', loader, { tags: ['moved'] }));
      await vi.waitFor(() => expect(loader).toHaveBeenCalled());
      await cache.invalidateTags(['moved']); // the running load's result is refused
      gate.resolve();
      expect(await Promise.all(calls)).toEqual(Array(5).fill('v'));
      expect(loader).toHaveBeenCalledTimes(2);
    });

    it('gives every single-flight waiter the loader error', async () => {
      const gate = deferred();
      const loader = vi.fn(async () => {
        await gate.promise;
        throw new Error('db down');
      });
      // Concurrent callers join one flight when they call, not once their L2 read answered.
      const calls = Array.from({ length: 5 }, () => cache.getOrSet('failing', loader));
      await vi.waitFor(() => expect(loader).toHaveBeenCalled());
      gate.resolve();
      const results = await Promise.allSettled(calls);
      expect(results.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'db down')).toBe(true);
      expect(loader).toHaveBeenCalledTimes(1);
      expect(await cache.get('failing')).toBeUndefined();
    });

    it('invalidates by tag', async () => {
      await cache.getOrSet('p1', () => 'one', { tags: ['product:1', 'products'] });
      await cache.getOrSet('p2', () => 'two', { tags: ['product:2', 'products'] });
      await cache.set('other', 'x', { tags: ['orders'] });
      await cache.invalidateTags(['product:1']);
      expect(await cache.get('p1')).toBeUndefined();
      expect(await cache.get('p2')).toBe('two');
      await cache.invalidateTags(['products']);
      expect(await cache.get('p2')).toBeUndefined();
      expect(await cache.get('other')).toBe('x');
    });

    it('clears one namespace (and those nested in it) and nothing else', async () => {
      const users = cache.namespace('users');
      const admins = users.namespace('admins');
      const orders = cache.namespace('orders');
      await users.set('1', 'u');
      await admins.set('1', 'a');
      await orders.set('1', 'o');
      await cache.set('1', 'root');
      await users.clear();
      expect(await users.get('1')).toBeUndefined();
      expect(await admins.get('1')).toBeUndefined();
      expect(await orders.get('1')).toBe('o');
      expect(await cache.get('1')).toBe('root');
      await users.set('1', 'again');
      expect(await users.get('1')).toBe('again');
    });

    it('mset and mget many keys', async () => {
      await cache.mset([
        { key: 'a', value: 1 },
        { key: 'b', value: { two: 2 }, tags: ['t'] },
        { key: 'c', value: 'three', ttl: 5_000 },
      ]);
      expect(await cache.mget(['a', 'missing', 'b', 'c'])).toEqual([1, undefined, { two: 2 }, 'three']);
    });

    it('serves an expired entry within grace while one refresh runs', async () => {
      let version = 1;
      const gate = deferred();
      const loader = vi.fn(async () => {
        if (version > 1) await gate.promise;
        return `v${version}`;
      });
      const options = { ttl: 100, grace: 10_000 };
      expect(await cache.getOrSet('g', loader, options)).toBe('v1');
      version = 2;
      // Until its ttl has passed as this instance sees it (an L2 read's latency counts as fresh
      // time, so on a slow machine that is later than 100 ms), it is a plain hit.
      await vi.waitFor(
        async () => {
          expect(await cache.getOrSet('g', loader, options)).toBe('v1');
          expect(cache.stats().staleHits).toBe(1);
        },
        { timeout: 5000, interval: 20 },
      );
      // L1 and L2 may disagree for a moment on when it expired: a plain hit in between is fine.
      await vi.waitFor(
        async () => {
          expect(await cache.getOrSet('g', loader, options)).toBe('v1');
          expect(cache.stats().staleHits).toBe(2);
        },
        { timeout: 5000, interval: 20 },
      );
      await vi.waitFor(() => expect(loader).toHaveBeenCalledTimes(2)); // one refresh for both stale reads
      gate.resolve();
      // The refresh replaced it (read within grace: its 100 ms ttl may pass before a slow poll).
      await vi.waitFor(async () => expect(await cache.getOrSet('g', loader, options)).toBe('v2'), {
        timeout: 10_000,
      });
    });

    it('never serves an invalidated entry, even within grace', async () => {
      await cache.getOrSet('gi', () => 'old', { ttl: 30, grace: 10_000, tags: ['gt'] });
      await sleep(60);
      await cache.invalidateTags(['gt']);
      expect(await cache.getOrSet('gi', () => 'new', { ttl: 30, grace: 10_000, tags: ['gt'] })).toBe('new');
    });

    it('does not store a fill whose tag was invalidated while its loader ran (refill race)', async () => {
      const gate = deferred();
      const loader = vi.fn(async () => {
        await gate.promise;
        return 'computed-before-write';
      });
      const slow = cache.getOrSet('race', loader, { tags: ['row:1'] });
      // The loader must have started (it "read the row") before the write: the L2 read before it
      // may take longer than any fixed sleep on a busy machine.
      await vi.waitFor(() => expect(loader).toHaveBeenCalled());
      await cache.invalidateTags(['row:1']);
      gate.resolve();
      expect(await slow).toBe('computed-before-write');
      expect(await cache.get('race')).toBeUndefined();
      expect(await cache.getOrSet('race', () => 'fresh', { tags: ['row:1'] })).toBe('fresh');
      expect(cache.stats().fillsRefused).toBe(1);
    });

    it('never hands a caller arriving after an invalidation the result of a load that started before it', async () => {
      const gate = deferred();
      const oldLoader = vi.fn(async () => {
        await gate.promise;
        return 'old';
      });
      const old = cache.getOrSet('flight', oldLoader, { tags: ['f'] });
      await vi.waitFor(() => expect(oldLoader).toHaveBeenCalled());
      await cache.invalidateTags(['f']);
      const newLoader = vi.fn(async () => 'new');
      const late = cache.getOrSet('flight', newLoader, { tags: ['f'] });
      // The late caller runs its own load while the old one is still held (had it joined, this never happens).
      await vi.waitFor(() => expect(newLoader).toHaveBeenCalled());
      gate.resolve();
      expect(await old).toBe('old');
      expect(await late).toBe('new');
    });

    it('does not keep a set in L1 when its tags are invalidated while it is being written', async () => {
      const writing = cache.set('racing', 'v', { tags: ['race-tag'] });
      await cache.invalidateTags(['race-tag']);
      await writing;
      expect(await cache.get('racing')).toBeUndefined();
    });

    it('rounds fractional durations and rejects impossible ones, naming the key', async () => {
      await cache.set('fraction', 'v', { ttl: 1.1 * 400 });
      expect(await cache.get('fraction')).toBe('v');
      await vi.waitFor(async () => expect(await cache.get('fraction')).toBeUndefined(), { timeout: 5000 });
      await expect(cache.set('nan', 'v', { ttl: Number.NaN })).rejects.toThrow(
        /ttl for "[^"]*:nan" must be a number of milliseconds/,
      );
      await expect(cache.getOrSet('neg', () => 'v', { grace: -1 })).rejects.toThrow(/grace/);
    });

    it('does not let a slow fill overwrite a delete or a newer set of the same key', async () => {
      const gate = deferred();
      const loader = vi.fn(async () => {
        await gate.promise;
        return 'stale';
      });
      const slow = cache.getOrSet('k', loader);
      await vi.waitFor(() => expect(loader).toHaveBeenCalled());
      await cache.set('k', 'newer');
      gate.resolve();
      await slow;
      expect(await cache.get('k')).toBe('newer');

      const gate2 = deferred();
      const loader2 = vi.fn(async () => {
        await gate2.promise;
        return 'stale';
      });
      const slow2 = cache.getOrSet('d', loader2);
      await vi.waitFor(() => expect(loader2).toHaveBeenCalled());
      await cache.delete('d');
      gate2.resolve();
      await slow2;
      expect(await cache.get('d')).toBeUndefined();
    });

    it('invalidates an entry when a key it depends on changes or is deleted', async () => {
      await cache.set('user:1', { name: 'Ada' });
      const summary = () => cache.getOrSet('summary:1', async () => 'derived', { dependsOn: ['user:1'] });
      await summary();
      expect(await cache.get('summary:1')).toBe('derived');
      await cache.set('user:1', { name: 'Grace' });
      expect(await cache.get('summary:1')).toBeUndefined();
      await summary();
      await cache.delete('user:1');
      expect(await cache.get('summary:1')).toBeUndefined();
    });

    it('invalidates by key pattern within one namespace and reports how many entries it removed', async () => {
      await cache.mset([
        { key: 'product:1', value: 1 },
        { key: 'product:2', value: 2 },
        { key: 'order:1', value: 3 },
      ]);
      await cache.namespace('other').set('product:9', 9);
      expect(await cache.invalidatePattern('product:*')).toBe(2);
      expect(await cache.mget(['product:1', 'product:2', 'order:1'])).toEqual([undefined, undefined, 3]);
      expect(await cache.namespace('other').get('product:9')).toBe(9);
    });

    it('a pattern invalidation also invalidates the entries depending on the keys it removed', async () => {
      await cache.set('product:7', 7);
      await cache.getOrSet('report', async () => 'uses product 7', { dependsOn: ['product:7'] });
      await cache.invalidatePattern('product:*');
      expect(await cache.get('report')).toBeUndefined();
    });

    it('names the key when a value cannot be serialized, and rejects undefined', async () => {
      await expect(cache.set('fn', { f: () => 1 })).rejects.toThrow(CacheSerializationError);
      await expect(cache.set('fn', { f: () => 1 })).rejects.toThrow(/"[^"]*:fn"/);
      await expect(cache.getOrSet('u', () => undefined)).rejects.toThrow(/store null instead/);
    });

    it('rejects unusable keys, tags and namespaces with a clear error', async () => {
      await expect(cache.get('')).rejects.toThrow(CacheKeyError);
      await expect(cache.set('x', 1, { tags: ['bad\ntag'] })).rejects.toThrow(/control characters/);
      expect(() => cache.namespace('a:b')).toThrow(/namespace must match/);
    });
  });
}
