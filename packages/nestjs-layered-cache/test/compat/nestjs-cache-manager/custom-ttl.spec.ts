/**
 * Port of @nestjs/cache-manager tests/e2e/custom-ttl.spec.ts (nestjs/cache-manager), assertions unchanged.
 * Adapted: its modules come from ./fixtures.ts (our CacheModule + CacheManagerModule on real Redis,
 * see there); jest globals are vitest imports. Sleeps are the peer's own (TTL elapsed or not).
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'net';
import request from 'supertest';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { CustomTtlModule } from './fixtures.js';

describe('Caching Custom TTL', () => {
  let server: Server;
  let app: INestApplication;

  beforeEach(async () => {
    const module = await Test.createTestingModule({ imports: [CustomTtlModule] }).compile();
    app = module.createNestApplication({ logger: false });
    server = app.getHttpServer();
    await app.init();
  });

  it('should return a different value after the TTL is elapsed', async () => {
    await request(server).get('/').expect(200, '0');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await request(server).get('/').expect(200, '1');
  });

  it('should return the cached value within the TTL', async () => {
    await request(server).get('/').expect(200, '0');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await request(server).get('/').expect(200, '0');
  });

  it('should return a different value after the TTL of the controller is elapsed', async () => {
    await request(server).get('/controller').expect(200, '0');
    await new Promise((resolve) => setTimeout(resolve, 600));
    await request(server).get('/controller').expect(200, '1');
  });

  it('should return the cached value within the TTL of the controller', async () => {
    await request(server).get('/controller').expect(200, '0');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await request(server).get('/controller').expect(200, '0');
  });

  afterEach(async () => {
    await app.close();
  });
});
