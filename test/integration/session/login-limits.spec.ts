import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { LoginLimits } from '../../../src/modules/auth/login-limiter.service.js';
import { uniquePrefix } from '../../helpers/unique-prefix.js';
import { startAuthApp } from './auth-app.js';

/**
 * The README's login limits at their real values (every other test raises them out of the way),
 * counted in Redis across two instances of the auth module sharing one prefix, as two app
 * instances behind a load balancer do. Requests come from one address (127.0.0.1).
 */
function twoInstances(limits: LoginLimits): Promise<INestApplication[]> {
  const prefix = uniquePrefix('login-limits');
  const redis = { url: inject('redisUrl') };
  return Promise.all([0, 1].map(() => startAuthApp({ redis, prefix, limits })));
}

const login = (app: INestApplication, email: string, password: string) =>
  request(app.getHttpServer()).post('/auth/login').send({ email, password });

describe('login limits across two instances', () => {
  const apps: INestApplication[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  it('counts every attempt from one address on both instances, then answers 429 with Retry-After', async () => {
    apps.push(...(await twoInstances({ perIp: 3, perAccount: 100, perAccountAnyIp: 100 })));
    for (let i = 0; i < 3; i++) await login(apps[i % 2]!, `nobody-${i}@example.com`, 'wrong-password-12').expect(401);
    for (const app of apps) {
      const refused = await login(app, 'nobody-3@example.com', 'wrong-password-12').expect(429);
      expect(refused.body.message).toBe('Too many login attempts from this address');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
  });

  it("limits failures per account, on both instances; a success does not count, and others' accounts are not locked", async () => {
    apps.push(...(await twoInstances({ perIp: 100, perAccount: 2, perAccountAnyIp: 100 })));
    const [a, b] = apps.slice(-2) as [INestApplication, INestApplication];
    await login(a, 'user@example.com', 'wrong-password-12').expect(401);
    await login(b, 'user@example.com', 'user-demo-password').expect(200); // given back: still one failure
    await login(b, 'user@example.com', 'wrong-password-12').expect(401);
    const refused = await login(a, 'user@example.com', 'user-demo-password').expect(429);
    expect(refused.body.message).toBe('Too many failed logins for this account');
    await login(b, 'admin@example.com', 'admin-demo-password').expect(200);
  });
});
