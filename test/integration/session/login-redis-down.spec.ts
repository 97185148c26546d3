import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CacheModule } from 'nestjs-layered-cache';
import { CacheSessionModule } from 'nestjs-layered-cache/session';
import { dataSourceOptions } from '../../../src/database/data-source.options.js';
import { AuthModule } from '../../../src/modules/auth/auth.module.js';
import { uniquePrefix } from '../../helpers/unique-prefix.js';

/** Nothing listens on port 1: every Redis call fails at once. */
const DOWN = { url: 'redis://127.0.0.1:1', connectTimeout: 200, commandTimeout: 200 };

describe('login while Redis is down', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const prefix = uniquePrefix('login-down');
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(inject('databaseUrl'))),
        CacheModule.forRoot({ isGlobal: true, prefix, redis: DOWN }),
        CacheSessionModule.forRoot({ secret: 'a-session-secret-of-at-least-32-chars' }),
        AuthModule.forRoot({
          limits: { perIp: 20, perAccount: 5, perAccountAnyIp: 50 },
          redis: DOWN,
          prefix,
          secureCookie: false,
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    app.useLogger(false);
    await app.init();
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
