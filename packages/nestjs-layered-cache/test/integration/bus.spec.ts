import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { CacheService } from '../../src/index.js';
import { createCacheInstance, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';
import { monitorRedis } from '../helpers/redis-monitor.js';

describe('bus: cross-instance L1 invalidation', () => {
  const url = inject('redisUrl');
  let redis: Redis;
  const instances: CacheInstance[] = [];
  const pair = async (): Promise<[CacheService, CacheService, string]> => {
    const prefix = uniquePrefix('bus');
    const [a, b] = await Promise.all([0, 1].map(() => createCacheInstance({ prefix, redis: { url } })));
    instances.push(a!, b!);
    return [a!.cache, b!.cache, prefix];
  };
  /** Waits until `cache` has applied `count` messages from other instances. */
  const received = (cache: CacheService, count: number) =>
    vi.waitFor(() => expect(cache.stats().bus!.received).toBe(count));

  beforeAll(() => void (redis = new Redis(url)));
  afterAll(() => redis.quit());
  afterEach(async () => void (await Promise.all(instances.splice(0).map((i) => i.close()))));

  it("evicts the other instance's L1 copy on set and on tag invalidation", async () => {
    const [a, b] = await pair();
    await a.set('k', 'old', { tags: ['t'] });
    await received(b, 1);
    expect(await b.get('k')).toBe('old');
    expect(await b.get('k')).toBe('old');
    expect(b.stats().l1!.hits).toBe(1);
    await a.set('k', 'new', { tags: ['t'] });
    await received(b, 2);
    expect(await b.get('k')).toBe('new');

    await b.get('k'); // in B's L1 again
    await a.invalidateTags(['t']);
    await received(b, 3);
    expect(await b.get('k')).toBeUndefined();
  });

  it("a pattern invalidation reaches the other instance's dependents of the removed keys", async () => {
    const [a, b] = await pair();
    await a.set('product:1', 1);
    await received(b, 1);
    await b.getOrSet('report', async () => 'built from product 1', { dependsOn: ['product:1'] });
    expect(await b.get('report')).toBe('built from product 1');
    expect(await a.invalidatePattern('product:*')).toBe(1);
    await received(b, 2);
    expect(await b.get('report')).toBeUndefined();
  });

  it('ignores its own messages', async () => {
    const [a, b] = await pair();
    await a.invalidateTags(['x']);
    await a.delete('y');
    await received(b, 2);
    expect(a.stats().bus!.received).toBe(0);
  });

  it('clears one namespace on every instance and nothing else', async () => {
    const [a, b] = await pair();
    await b.namespace('users').set('1', 'u');
    await b.namespace('orders').set('1', 'o');
    await a.namespace('users').clear();
    await received(b, 1);
    expect(await b.namespace('users').get('1')).toBeUndefined();
    const hits = b.stats().l1!.hits;
    expect(await b.namespace('orders').get('1')).toBe('o');
    expect(b.stats().l1!.hits).toBe(hits + 1);
  });

  it('carries keys and tags, never values, on a channel named by the prefix', async () => {
    const [a, , prefix] = await pair();
    const monitor = await monitorRedis(url, prefix, { insideScripts: true });
    await a.set('secret', 'value-that-must-not-travel', { tags: ['tag-a'] });
    await a.invalidateTags(['tag-a']);
    const published = (await monitor.stop()).filter((c) => c[0]!.toLowerCase() === 'publish');
    expect(published).toHaveLength(2);
    expect(published.every((c) => c[1] === `${prefix}:~bus`)).toBe(true);
    expect(published.map((c) => c[2]).join()).not.toContain('value-that-must-not-travel');
    expect(published[1]![2]).toContain('t:tag-a');
  });

  it('ignores malformed messages and messages for another prefix, counting the malformed', async () => {
    const [a, b, prefix] = await pair();
    await b.set('k', 'kept');
    const other = await createCacheInstance({ prefix: uniquePrefix('other'), redis: { url } });
    instances.push(other);
    await other.cache.set('k', 'elsewhere');
    await other.cache.invalidateTags(['t']);
    for (const garbage of ['not json', '{"i":5}', '{"i":"x","d":[1]}']) await redis.publish(`${prefix}:~bus`, garbage);
    await vi.waitFor(() => expect(b.stats().bus!.malformed).toBe(3));
    expect(b.stats().bus!.received).toBe(0);
    expect(await b.get('k')).toBe('kept');
    await vi.waitFor(() => expect(a.stats().bus!.malformed).toBe(3));
  });

  it('stops trusting L1 while unsubscribed, and trusts it again once resubscribed', async () => {
    const [a, b, prefix] = await pair();
    await a.set('k', 'v1');
    expect(await b.get('k')).toBe('v1');
    const clients = await redis.client('LIST');
    const bId = String(clients)
      .split('\n')
      .map((line) => /id=(\d+) .*name=(\S+)/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null && m[2]!.startsWith(`${prefix}:~bus:`))
      .map((m) => m[1]!);
    expect(bId).toHaveLength(2);
    // Kill both subscribers; B's is among them. A message sent now would be lost for B.
    for (const id of bId) await redis.client('KILL', 'ID', id);
    await vi.waitFor(() => expect(b.stats().bus!.trusted).toBe(false));
    expect(b.stats().l1!.entries).toBe(0);
    await a.set('k', 'v2');
    expect(await b.get('k')).toBe('v2'); // from L2: L1 is bypassed, so the lost message does not matter
    await vi.waitFor(() => expect(b.stats().bus!.trusted).toBe(true), { timeout: 10_000 });
    expect(b.stats().bus!.disconnects).toBe(1);
    expect(await b.get('k')).toBe('v2');
    expect(await b.get('k')).toBe('v2');
    expect(b.stats().l1!.hits).toBeGreaterThan(0);
  });
});
