import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisSessionStore } from '../../../src/session/index.js';
import { uniquePrefix } from '../../helpers/cache-instance.js';

describe('RedisSessionStore with @fastify/session', () => {
  let redis: Redis;
  let app: ReturnType<typeof Fastify>;
  let store: RedisSessionStore;

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'));
    store = new RedisSessionStore(redis, `${uniquePrefix('fsess')}:~sess`);
    app = Fastify();
    await app.register(fastifyCookie);
    await app.register(fastifySession, {
      secret: 'a-fastify-session-secret-of-32-characters!',
      store: store as never,
      cookie: { secure: false },
      saveUninitialized: false,
    });
    app.post('/login', async (req: { session: unknown }) => {
      (req.session as unknown as { set(k: string, v: unknown): void }).set('user', { id: 42 });
      return { ok: true };
    });
    app.get('/me', async (req: { session: unknown }) => ({
      user: (req.session as unknown as { get(k: string): unknown }).get('user') ?? null,
    }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await redis?.quit();
  });

  it('stores the session in Redis and reads it back on the next request', async () => {
    const login = await app.inject({ method: 'POST', url: '/login' });
    const cookie = login.cookies.find((c: { name: string }) => c.name === 'sessionId') as { value: string } | undefined;
    expect(cookie).toBeDefined();
    const me = await app.inject({ method: 'GET', url: '/me', cookies: { sessionId: cookie!.value } });
    expect(me.json()).toEqual({ user: { id: 42 } });
    expect(await store.sessionsOf(42)).toHaveLength(1);
  });
});
