/**
 * The session-store gaps issue 18 found against connect-redis (where express-session leaves the
 * semantics open), on real Redis.
 */
import type { SessionData } from 'express-session';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { generateSessionId, RedisSessionStore } from '../../src/session/index.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

describe('RedisSessionStore, connect-redis semantics', () => {
  let redis: Redis;
  let store: RedisSessionStore;
  let prefix: string;
  const HOUR = 3_600_000;

  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
    prefix = `${uniquePrefix('sessc')}:~sess`;
    store = new RedisSessionStore(redis, prefix, { ttl: 2 * HOUR });
  });
  afterAll(() => redis.quit());

  const pttl = (sid: string) => redis.pttl(`${prefix}:${sid}`);

  it('takes the TTL from cookie.expires when the cookie has no maxAge (Date or JSON string)', async () => {
    const [a, b] = [generateSessionId(), generateSessionId()];
    const expires = new Date(Date.now() + 10 * 60_000);
    await store.set(a, { cookie: { originalMaxAge: null, expires } } as unknown as SessionData);
    await store.set(b, JSON.parse(JSON.stringify({ cookie: { originalMaxAge: null, expires } })) as SessionData);
    for (const sid of [a, b]) {
      expect(await pttl(sid)).toBeLessThanOrEqual(10 * 60_000);
      expect(await pttl(sid)).toBeGreaterThan(9 * 60_000);
    }
  });

  it('destroys a stored session when it is set with an expired cookie', async () => {
    const sid = generateSessionId();
    await store.set(sid, { cookie: { originalMaxAge: 60_000, maxAge: 60_000 }, n: 1 } as unknown as SessionData);
    expect(await store.get(sid)).toMatchObject({ n: 1 });
    await store.set(sid, {
      cookie: { originalMaxAge: null, expires: new Date(Date.now() - 1000).toISOString() },
      n: 2,
    } as unknown as SessionData);
    expect(await store.get(sid)).toBeNull();
    expect(await redis.exists(`${prefix}:${sid}`)).toBe(0);
  });

  it('touch honours cookie.expires, extending or ending the session', async () => {
    const sid = generateSessionId();
    await store.set(sid, { cookie: { originalMaxAge: null, expires: new Date(Date.now() + 60_000) } } as never);
    await store.touch(sid, { cookie: { originalMaxAge: null, expires: new Date(Date.now() + HOUR) } } as never);
    expect(await pttl(sid)).toBeGreaterThan(59 * 60_000);
    await store.touch(sid, { cookie: { originalMaxAge: null, expires: new Date(Date.now() - 1) } } as never);
    expect(await store.get(sid)).toBeNull();
  });

  it('all/ids/length/clear see only this store’s namespace, and work with or without callbacks', async () => {
    const other = new RedisSessionStore(redis, `${prefix}x`, { ttl: HOUR });
    await store.clear();
    const mine = generateSessionId();
    const theirs = generateSessionId();
    await store.set(mine, { cookie: { originalMaxAge: HOUR, maxAge: HOUR }, user: { id: 7 } } as never);
    await other.set(theirs, { cookie: { originalMaxAge: HOUR, maxAge: HOUR } } as never);
    expect(await store.ids()).toEqual([mine]);
    expect(await store.length()).toBe(1);
    expect((await store.all()).map((s) => s.id)).toEqual([mine]);
    const viaCallback = await new Promise((resolve, reject) => {
      store.length((error, n) => (error ? reject(error as Error) : resolve(n))).catch(reject);
    });
    expect(viaCallback).toBe(1);
    await store.clear();
    expect(await store.length()).toBe(0);
    expect(await other.ids()).toEqual([theirs]);
    await other.clear();
  });
});
