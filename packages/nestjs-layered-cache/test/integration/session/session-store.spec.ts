import type { SessionData } from 'express-session';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisSessionStore, generateSessionId } from '../../../src/session/index.js';
import { uniquePrefix } from '../../helpers/cache-instance.js';
import { monitorRedis } from '../../helpers/redis-monitor.js';

/** The callback path express-session uses; the promise the store also returns is left to the callback. */
const promisify =
  <T>(fn: (cb: (error?: unknown, value?: T) => void) => Promise<unknown>) =>
  () =>
    new Promise<T | undefined>((resolve, reject) => {
      fn((e, v) => (e ? reject(e as Error) : resolve(v))).catch(reject);
    });

describe('RedisSessionStore (express-session Store contract, real Redis)', () => {
  let redis: Redis;
  let store: RedisSessionStore;
  let prefix: string;
  const session = (userId?: number, extra: Record<string, unknown> = {}) =>
    ({
      cookie: { originalMaxAge: 60_000, maxAge: 60_000 },
      ...(userId ? { user: { id: userId } } : {}),
      ...extra,
    }) as unknown as SessionData;
  const get = (sid: string) => promisify<SessionData | null>((cb) => store.get(sid, cb))();
  const set = (sid: string, s: SessionData) => promisify<void>((cb) => store.set(sid, s, cb))();

  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
    prefix = `${uniquePrefix('sess')}:~sess`;
    store = new RedisSessionStore(redis, prefix, { ttl: 60_000 });
  });
  afterAll(() => redis.quit());

  it('implements get, set, touch, destroy, all, length and clear', async () => {
    const [a, b] = [generateSessionId(), generateSessionId()];
    expect(a).toMatch(/^[\w-]{32}$/);
    await set(a, session(1, { cart: [1, 2] }));
    await set(b, session(2));
    expect(await get(a)).toMatchObject({ user: { id: 1 }, cart: [1, 2] });
    expect(await promisify<number>((cb) => store.length(cb))()).toBe(2);
    const all = (await promisify<(SessionData & { id: string })[]>((cb) => store.all(cb))())!;
    expect(all.map((s) => s.id).sort()).toEqual([a, b].sort());
    await promisify<void>((cb) => store.destroy(a, cb))();
    expect(await get(a)).toBeNull();
    await promisify<void>((cb) => store.clear(cb))();
    expect(await promisify<number>((cb) => store.length(cb))()).toBe(0);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  it('slides the TTL on touch without rewriting the data', async () => {
    const sid = generateSessionId();
    await set(sid, session(3, { n: 1 }));
    await redis.pexpire(`${prefix}:${sid}`, 1000);
    const monitor = await monitorRedis(inject('redisUrl'), prefix, { insideScripts: true });
    await promisify<void>((cb) => store.touch(sid, session(3, { n: 1 }), cb))();
    const commands = await monitor.stop();
    expect(commands.some((c) => c[0]!.toLowerCase() === 'set')).toBe(false);
    expect(await redis.pttl(`${prefix}:${sid}`)).toBeGreaterThan(50_000);
  });

  it('never sends a malformed session id to Redis', async () => {
    const monitor = await monitorRedis(inject('redisUrl'), prefix, { insideScripts: true });
    for (const bad of [
      '',
      'short',
      'a b c d e f g h i j k l m n o p',
      `${'x'.repeat(30)}:*`,
      '../../etc/passwd-aaaaaaaaaaaaaaa',
    ]) {
      expect(await get(bad)).toBeNull();
      await promisify<void>((cb) => store.destroy(bad, cb))();
    }
    await expect(set('bad id', session())).rejects.toThrow(/malformed/);
    const commands = await monitor.stop();
    expect(commands.filter((c) => !c.join(' ').includes('~monitor-end'))).toEqual([]);
  });

  it('revokes every session of a user in O(their sessions), and lists only live ones', async () => {
    const sids = Array.from({ length: 50 }, () => generateSessionId());
    for (const sid of sids) await set(sid, session(7));
    const other = generateSessionId();
    await set(other, session(8));
    // A session that died on its own leaves its id in the index only until the next write.
    await redis.del(`${prefix}:${sids[0]}`);
    expect((await store.sessionsOf(7)).length).toBe(50);
    expect(await store.revokeAll(7)).toBe(50);
    for (const sid of sids) expect(await get(sid)).toBeNull();
    expect(await get(other)).not.toBeNull();
    expect(await store.sessionsOf(7)).toEqual([]);
  });
});
