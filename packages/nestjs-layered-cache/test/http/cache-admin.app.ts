import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { inject } from 'vitest';
import { CacheAdminModule, CacheAdminService } from '../../src/admin/index.js';
import { CacheModule, CacheService } from '../../src/index.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

export const ADMIN_TOKEN = 'admin-test-token-0123456789abcdef';

export interface AdminApp {
  app: INestApplication;
  cache: CacheService;
  admin: CacheAdminService;
  auth: { Authorization: string };
}

/** The cache with L1 and Redis plus the admin API, on Express. */
export async function bootAdminApp(label: string): Promise<AdminApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      CacheModule.forRoot({ isGlobal: true, prefix: uniquePrefix(label), redis: { url: inject('redisUrl') } }),
      CacheAdminModule.forRoot({ token: ADMIN_TOKEN }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication();
  app.useLogger(false);
  await app.init();
  return {
    app,
    cache: app.get(CacheService),
    admin: app.get(CacheAdminService),
    auth: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  };
}
