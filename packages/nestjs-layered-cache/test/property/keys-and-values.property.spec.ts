import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CacheKeyError, type CacheService } from '../../src/index.js';
import { createCacheInstance, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';

/** Any Unicode (astral planes, control characters, glob and separator characters), up to past the limits. */
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({
      unit: fc.constantFrom('*', '?', '[', ']', ':', '{', '}', '\\', '.', '\n', '\u0000', 'é', '🗝'),
      maxLength,
    }),
  );

describe('property: keys, tags and values over L1 + Redis', () => {
  let instance: CacheInstance;
  let remote: CacheInstance;
  let cache: CacheService;

  beforeAll(async () => {
    const prefix = uniquePrefix('prop');
    instance = await createCacheInstance({ prefix, redis: { url: inject('redisUrl') } });
    // Same prefix without L1: what it reads was decoded from Redis.
    remote = await createCacheInstance({ prefix, l1: false, redis: { url: inject('redisUrl') } });
    cache = instance.cache;
  });
  afterAll(async () => {
    await instance?.close();
    await remote?.close();
  });

  it('a key is refused with CacheKeyError or stored and read back as itself; distinct keys never collide', async () => {
    await fc.assert(
      fc.asyncProperty(anyText(1100), anyText(40), async (a, b) => {
        fc.pre(a !== b);
        const valid = (k: string) => k.length > 0 && k.length <= 1024;
        for (const key of [a, b]) {
          if (!valid(key)) {
            await expect(cache.set(key, 1)).rejects.toBeInstanceOf(CacheKeyError);
            continue;
          }
        }
        if (!valid(a) || !valid(b)) return;
        await cache.set(a, { key: a });
        await cache.set(b, { key: b });
        expect(await cache.get(a)).toEqual({ key: a });
        expect(await cache.get(b)).toEqual({ key: b });
        await cache.delete(a);
        expect(await cache.get(a)).toBeUndefined();
        expect(await cache.get(b)).toEqual({ key: b });
        await cache.delete(b);
      }),
      { numRuns: 150 },
    );
  });

  it('a tag is refused with CacheKeyError or invalidates exactly the entries carrying it (glob characters are literal)', async () => {
    await fc.assert(
      fc.asyncProperty(anyText(300), async (tag) => {
        // eslint-disable-next-line no-control-regex
        const valid = tag.length > 0 && tag.length <= 256 && !/[\u0000-\u001f\u007f]/.test(tag);
        if (!valid) {
          await expect(cache.invalidateTags([tag])).rejects.toBeInstanceOf(CacheKeyError);
          return;
        }
        const neighbours = [`${tag}*`, `${tag}?`, `[${tag}]`, `${tag}x`].filter((t) => t.length <= 256);
        await cache.set('tagged', 1, { tags: [tag] });
        for (const [i, t] of neighbours.entries()) await cache.set(`other:${i}`, i, { tags: [t] });
        await cache.invalidateTags([tag]);
        expect(await cache.get('tagged')).toBeUndefined();
        for (const [i] of neighbours.entries()) expect(await cache.get(`other:${i}`)).toBe(i);
      }),
      { numRuns: 100 },
    );
  });

  it('a pattern invalidation matches its glob only: glob characters inside stored keys never widen it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '[', ']', ':'), minLength: 1, maxLength: 8 }),
        async (literal) => {
          const view = cache.namespace(`glob${Math.floor(Math.random() * 1e9)}`);
          await view.set(`user:${literal}`, 1);
          await view.set('user:zzz', 2);
          await view.set('item:1', 3);
          // Escaping every glob character matches exactly the stored key.
          const escaped = `user:${literal.replace(/[*?[\]\\]/g, '\\$&')}`;
          expect(await view.invalidatePattern(escaped)).toBe(1);
          expect(await view.get(`user:${literal}`)).toBeUndefined();
          expect(await view.get('user:zzz')).toBe(2);
          expect(await view.get('item:1')).toBe(3);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('values round-trip through the serializer (JSON plus Date, BigInt, Map, Set, binary)', async () => {
    const plus = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.date({ noInvalidDate: true }),
        fc.bigInt(),
        fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
        fc.array(fc.tuple(fc.string({ maxLength: 6 }), tie('value')), { maxLength: 3 }).map((e) => new Map(e)),
        fc.array(fc.integer(), { maxLength: 5 }).map((e) => new Set(e)),
      ),
    })).value;
    let i = 0;
    await fc.assert(
      fc.asyncProperty(plus, async (value) => {
        fc.pre(value !== undefined);
        const key = `value:${i++}`;
        await cache.set(key, value);
        expect(await cache.get(key)).toEqual(value);
        // From Redis too, not only from L1's copy.
        expect(await remote.cache.get(key)).toEqual(value);
      }),
      { numRuns: 150 },
    );
  });
});
