import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createCacheInstance, sleep, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';
import { monitorRedis } from '../helpers/redis-monitor.js';

/** EVAL or EVALSHA (ioredis picks) are both one script call. */
const commandName = (command: string[]) => command[0]!.toLowerCase().replace(/^evalsha$|^eval$/, 'script');

describe('L1 + L2 engine against real Redis', () => {
  const url = inject('redisUrl');
  let redis: Redis;
  const instances: CacheInstance[] = [];
  const boot = async (prefix: string, extra: object = {}) => {
    const instance = await createCacheInstance({ prefix, redis: { url }, ...extra });
    instances.push(instance);
    return instance.cache;
  };

  beforeAll(() => void (redis = new Redis(url)));
  afterAll(() => redis.quit());
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.close()));
  });

  it('refills L1 on an L2 hit, and both tiers return the same shape', async () => {
    const prefix = uniquePrefix();
    const a = await boot(prefix);
    const b = await boot(prefix);
    const value = { at: new Date(1_000), n: 10n, m: new Map([['k', new Set([1])]]), b: Buffer.from([1, 2]) };
    await a.set('shape', value);
    // A read racing with the bus message for the same key is (rightly) not kept in L1; wait it out.
    await vi.waitFor(() => expect(b.stats().bus!.received).toBe(1));
    const fromL2 = await b.get('shape');
    expect(b.stats().l2!.hits).toBe(1);
    const fromL1 = await b.get('shape');
    expect(b.stats().l1!.hits).toBe(1);
    expect(fromL2).toEqual(value);
    expect(fromL1).toEqual(fromL2);
    expect(await a.get('shape')).toEqual(fromL1);
  });

  it('getOrSet on another instance uses the L2 entry instead of loading', async () => {
    const prefix = uniquePrefix();
    const a = await boot(prefix);
    const b = await boot(prefix);
    await a.getOrSet('p', () => 'from-a', { tags: ['x'] });
    const loader = vi.fn(() => 'from-b');
    expect(await b.getOrSet('p', loader, { tags: ['x'] })).toBe('from-a');
    expect(loader).not.toHaveBeenCalled();
  });

  it('a caller arriving after another instance invalidated never gets the older load (Redis-only)', async () => {
    const prefix = uniquePrefix();
    const a = await boot(prefix, { l1: false });
    const b = await boot(prefix, { l1: false });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = b.getOrSet(
      'row',
      async () => {
        await gate;
        return 'old';
      },
      { tags: ['row'] },
    );
    await vi.waitFor(async () => expect(await redis.exists(`${prefix}:~l:default:row`)).toBe(1));
    await a.invalidateTags(['row']);
    const late = b.getOrSet('row', async () => 'new', { tags: ['row'] });
    release();
    expect(await first).toBe('old');
    expect(await late).toBe('new');
  });

  it('reads many keys in one round trip and writes many in one pipeline', async () => {
    const prefix = uniquePrefix();
    const writer = await boot(prefix);
    const reader = await boot(prefix, { l1: false });
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    const writes = await monitorRedis(url, prefix);
    await writer.mset(keys.map((key, i) => ({ key, value: i, tags: [`tag${i % 3}`] })));
    const writeCommands = await writes.stop();
    expect(writeCommands.filter((c) => /^evalsha$|^eval$/i.test(c[0]!))).toHaveLength(50);
    expect(writeCommands.filter((c) => /^publish$/i.test(c[0]!))).toHaveLength(1);

    const reads = await monitorRedis(url, prefix);
    expect(await reader.mget(keys)).toEqual(keys.map((_, i) => i));
    const readCommands = await reads.stop();
    expect(readCommands).toHaveLength(1);
    expect(readCommands[0]![2]).toBe('50');
  });

  it('invalidates a tag with one INCR on its version counter, never enumerating keys', async () => {
    const prefix = uniquePrefix();
    const cache = await boot(prefix);
    await Promise.all(Array.from({ length: 20 }, (_, i) => cache.set(`e${i}`, i, { tags: ['group'] })));
    const before = Number(await redis.get(`${prefix}:~v:t:group`));
    const monitor = await monitorRedis(url, prefix, { insideScripts: true });
    await cache.invalidateTags(['group']);
    const commands = await monitor.stop();
    expect(Number(await redis.get(`${prefix}:~v:t:group`))).toBe(before + 1);
    // One script call: the EXISTS + INCR, and the PUBLISH telling the other instances, atomically.
    expect(commands.map(commandName)).toEqual(['script', 'exists', 'incr', 'publish']);
    expect(commands.flat().some((arg) => /^(scan|keys|del)$/i.test(arg))).toBe(false);
    expect(await cache.get('e3')).toBeUndefined();
  });

  it('clears a namespace with one version bump (O(1)), whatever its size', async () => {
    const prefix = uniquePrefix();
    const cache = await boot(prefix);
    const users = cache.namespace('users');
    await users.mset(Array.from({ length: 100 }, (_, i) => ({ key: `${i}`, value: i })));
    const monitor = await monitorRedis(url, prefix);
    await users.clear();
    const commands = await monitor.stop();
    expect(commands.map(commandName)).toEqual(['script']);
    expect(commands[0]).toContain(`${prefix}:~v:n:default.users`);
    expect(await users.get('5')).toBeUndefined();
  });

  it('treats a corrupted L2 entry as a miss, counts it and removes it', async () => {
    const prefix = uniquePrefix();
    const cache = await boot(prefix, { l1: false });
    await cache.set('bad', { ok: true });
    await cache.set('truncated', { ok: true, list: [1, 2, 3] });
    const key = `${prefix}:default:bad`;
    await redis.hset(key, 'd', Buffer.from([0x10, 0xde, 0xad, 0xbe, 0xef]));
    const truncated = await redis.hgetBuffer(`${prefix}:default:truncated`, 'd');
    await redis.hset(`${prefix}:default:truncated`, 'd', truncated!.subarray(0, 6));
    expect(await cache.get('bad')).toBeUndefined();
    expect(await cache.getOrSet('truncated', () => 'reloaded')).toBe('reloaded');
    expect(cache.stats().corrupt).toBe(2);
    await vi.waitFor(async () => expect(await redis.hexists(key, 'd')).toBe(0));
  });

  it('lets a delete tombstone expire after the fill window, however often the key is deleted again', async () => {
    const prefix = uniquePrefix();
    const cache = await boot(prefix, { l1: false, fillWindow: 1000 });
    const key = `${prefix}:default:gone`;
    await cache.set('gone', 'v', { ttl: 60_000 });
    await cache.delete('gone');
    expect(await redis.pttl(key)).toBeLessThanOrEqual(1000);
    await sleep(400);
    await cache.delete('gone');
    expect(await cache.invalidatePattern('gon*')).toBe(0);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(600); // not extended by the repeats
    await vi.waitFor(async () => expect(await redis.exists(key)).toBe(0), { timeout: 2000 });
  });

  it('treats wrong types, bad metadata and bad tag headers as corrupt misses, never as values', async () => {
    const prefix = uniquePrefix();
    const cache = await boot(prefix, { l1: false });
    const full = (key: string) => `${prefix}:default:${key}`;
    for (const key of ['string', 'meta', 'empty-header', 'ragged-header', 'detached']) {
      await cache.set(key, `value of ${key}`, { tags: ['row:1'] });
    }
    await redis.del(full('string'));
    await redis.set(full('string'), 'random bytes someone wrote');
    await redis.hset(full('meta'), 'm', 'not,a,lifetime');
    await redis.hset(full('empty-header'), 't', '');
    await redis.hset(full('ragged-header'), 't', 'n:default\n');
    // A header without its tag would let the value outlive `invalidateTags(['row:1'])`.
    await redis.hset(full('detached'), 't', 'garbage without versions');

    expect(await cache.get('string')).toBeUndefined();
    expect(await cache.mget(['meta', 'empty-header', 'ragged-header'])).toEqual([undefined, undefined, undefined]);
    expect(await cache.getOrSet('detached', () => 'reloaded')).toBe('reloaded');
    expect(cache.stats().corrupt).toBe(5);
    expect(cache.stats().errors).toBe(5); // counted as decode errors, not as Redis failures
    expect(await redis.exists(full('string'))).toBe(0);
    await vi.waitFor(async () => expect(await redis.hexists(full('meta'), 'd')).toBe(0));
    // Reads of other keys were never affected.
    await cache.set('fine', 1);
    expect(await cache.get('fine')).toBe(1);
  });

  it('compresses payloads above the threshold and reads them back', async () => {
    const prefix = uniquePrefix();
    const cache = await boot(prefix, { compressAbove: 1024, l1: false });
    const big = { text: 'lorem ipsum dolor sit amet '.repeat(4000) };
    await cache.set('big', big);
    const stored = await redis.hstrlen(`${prefix}:default:big`, 'd');
    expect(stored).toBeLessThan(big.text.length / 10);
    expect(await cache.get('big')).toEqual(big);
  });

  it('keeps the dependency counters alive at least as long as the entries that need them', async () => {
    const prefix = uniquePrefix();
    const cache = await boot(prefix);
    await cache.set('long', 1, { ttl: 7_200_000, tags: ['t'] });
    const entryTtl = await redis.pttl(`${prefix}:default:long`);
    expect(await redis.pttl(`${prefix}:~v:t:t`)).toBeGreaterThanOrEqual(entryTtl);
    expect(await redis.pttl(`${prefix}:~v:n:default`)).toBeGreaterThanOrEqual(entryTtl);
  });

  it('fails safe when a dependency counter is evicted: the entry reads as invalid', async () => {
    const prefix = uniquePrefix();
    const cache = await boot(prefix, { l1: false });
    await cache.set('e', 'v', { tags: ['evicted'] });
    await redis.del(`${prefix}:~v:t:evicted`);
    expect(await cache.get('e')).toBeUndefined();
    await cache.set('e', 'v2', { tags: ['evicted'] });
    expect(await cache.get('e')).toBe('v2');
  });
});
