/**
 * Port of @nestjs/cache-manager tests/e2e/async-register-extra-providers.spec.ts (nestjs/cache-manager), assertions unchanged.
 * Adapted: its modules come from ./fixtures.ts (our CacheModule + CacheManagerModule on real Redis,
 * see there); jest globals are vitest imports. Sleeps are the peer's own (TTL elapsed or not).
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'net';
import request from 'supertest';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { AsyncRegisterExtraModule } from './fixtures.js';

describe('Async Register Extra Providers', () => {
  let server: Server;
  let app: INestApplication;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ imports: [AsyncRegisterExtraModule] }).compile();
    app = module.createNestApplication({ logger: false });
    server = app.getHttpServer();
    await app.init();
  });

  it(`should return empty`, async () => {
    return request(server).get('/').expect(200, 'Not found');
  });

  it(`should return data`, async () => {
    return request(server).get('/').expect(200, 'value');
  });

  afterAll(async () => {
    await app.close();
  });
});
