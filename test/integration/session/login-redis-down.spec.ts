import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../../helpers/unique-prefix.js';
import { startAuthApp } from './auth-app.js';

/** Nothing listens on port 1: every Redis call fails at once. */
const DOWN = { url: 'redis://127.0.0.1:1', connectTimeout: 200, commandTimeout: 200 };

describe('login while Redis is down', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startAuthApp({
      redis: DOWN,
      prefix: uniquePrefix('login-down'),
      limits: { perIp: 20, perAccount: 5, perAccountAnyIp: 50 },
    });
  });
  afterAll(() => app?.close());

  it('answers 503 like the other session routes, not 500', async () => {
    const res = await request(app.getHttpServer())
      .post('/auth/login')
      .send({ email: 'user@example.com', password: 'user-demo-password' })
      .expect(503);
    expect(res.body.message).toMatch(/unavailable/);
  });
});
