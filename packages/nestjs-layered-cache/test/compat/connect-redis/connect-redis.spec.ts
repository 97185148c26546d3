/**
 * Port of connect-redis's index_test.ts (tj/connect-redis) — its `lifecycleTest`, assertions kept.
 * Adapted, and why:
 * - the store is ours (`new RedisSessionStore(ioredis, prefix)`), the client ioredis on the test
 *   Redis; key `sess:<id>` is `<prefix>:<id>`;
 * - session ids: connect-redis accepts "123"; ours must be 22–128 URL-safe characters (anything else
 *   never reaches Redis), so each id is padded to 22 characters and the expectations use the padded ids;
 * - its default TTL is one day in seconds, ours 2 h in ms: the "no expiry in the cookie" check reads
 *   the store's `ttl` instead of 86399 s;
 * - results connect-redis assigns to `res` and never reads are not assigned (lint);
 * - the "defaults" test (prefix `sess:`, `scanCount`, `serializer`, `disableTouch`, `disableTTL`)
 *   checks connect-redis's own option names: not applicable (see docs/compatibility.md).
 */
import { Cookie } from 'express-session';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { RedisSessionStore } from '../../../src/session/index.js';
import { uniquePrefix } from '../../helpers/cache-instance.js';

const id = (short: string): string => short.padStart(22, '0');

let client: Redis;
let prefix: string;

beforeAll(() => {
  client = new Redis(inject('redisUrl'));
  prefix = `${uniquePrefix('connect-redis')}:~sess`;
});
afterAll(() => client.quit());

test.skip('defaults (n/a: connect-redis option names and units)', () => {});

test('redis', async () => {
  const store = new RedisSessionStore(client, prefix);
  await lifecycleTest(store, client);
});

async function lifecycleTest(store: RedisSessionStore, client: Redis): Promise<void> {
  let res: unknown;
  await store.clear();

  const sess = { foo: 'bar', cookie: { originalMaxAge: null } } as never;
  await store.set(id('123'), sess);

  res = await store.get(id('123'));
  expect(res).toEqual(sess);

  let ttl = await client.pttl(`${prefix}:${id('123')}`);
  expect(ttl).toBeGreaterThanOrEqual(store.ttl - 1000);

  ttl = 60;
  let expires = new Date(Date.now() + ttl * 1000);
  await store.set(id('456'), { cookie: { originalMaxAge: null, expires } } as never);
  ttl = await client.ttl(`${prefix}:${id('456')}`);
  expect(ttl).toBeLessThanOrEqual(60);

  ttl = 90;
  const expires2 = new Date(Date.now() + ttl * 1000);
  await store.touch(id('456'), { cookie: { originalMaxAge: null, expires: expires2 } } as never);
  ttl = await client.ttl(`${prefix}:${id('456')}`);
  expect(ttl).toBeGreaterThan(60);

  res = await store.length();
  expect(res).toBe(2); // stored two keys length

  res = await store.ids();
  (res as string[]).sort();
  expect(res).toEqual([id('123'), id('456')]);

  res = await store.all();
  (res as { id: string }[]).sort((a, b) => (a.id > b.id ? 1 : -1));
  expect(res).toEqual([
    { id: id('123'), foo: 'bar', cookie: { originalMaxAge: null } },
    { id: id('456'), cookie: { originalMaxAge: null, expires: expires.toISOString() } },
  ]);

  await store.destroy(id('456'));
  res = await store.length();
  expect(res).toBe(1); // one key remains

  await store.clear();

  res = await store.length();
  expect(res).toBe(0); // no keys remain

  const count = 1000;
  await load(store, count);

  res = await store.length();
  expect(res).toBe(count);

  await store.clear();
  res = await store.length();
  expect(res).toBe(0);

  expires = new Date(Date.now() + ttl * 1000); // expires in the future
  await store.set(id('789'), { cookie: { originalMaxAge: null, expires } } as never);

  res = await store.length();
  expect(res).toBe(1);

  expires = new Date(Date.now() - ttl * 1000); // expires in the past
  await store.set(id('789'), { cookie: { originalMaxAge: null, expires } } as never);

  res = await store.length();
  expect(res).toBe(0); // no key remains and that includes session 789
}

async function load(store: RedisSessionStore, count: number) {
  const cookie = new Cookie();
  for (let sid = 0; sid < count; sid++) {
    cookie.expires = new Date(Date.now() + 1000);
    await store.set(id('s' + sid), { cookie } as never);
  }
}
