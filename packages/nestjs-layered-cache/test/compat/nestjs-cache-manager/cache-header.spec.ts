/**
 * Port of @nestjs/cache-manager tests/e2e/cache-header.spec.ts (nestjs/cache-manager), assertions unchanged.
 * Adapted: its modules come from ./fixtures.ts (our CacheModule + CacheManagerModule on real Redis,
 * see there); jest globals are vitest imports. Sleeps are the peer's own (TTL elapsed or not).
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'net';
import request from 'supertest';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { CustomTtlModule } from './fixtures.js';

describe('X-Cache header', () => {
  let server: Server;
  let app: INestApplication;

  beforeEach(async () => {
    const module = await Test.createTestingModule({ imports: [CustomTtlModule] }).compile();
    app = module.createNestApplication({ logger: false });
    server = app.getHttpServer();
    await app.init();
  });

  it("should set X-Cache header MISS when cache wasn't hit", async () => {
    await request(server).get('/').expect('X-Cache', 'MISS');
  });

  it('should set X-Cache header HIT when cache was hit', async () => {
    await request(server).get('/').expect('X-Cache', 'MISS');
    await request(server).get('/').expect('X-Cache', 'HIT');
  });

  afterEach(async () => {
    await app.close();
  });
});
