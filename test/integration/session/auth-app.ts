import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { inject } from 'vitest';
import { CacheModule, type RedisModuleOptions } from 'nestjs-layered-cache';
import { CacheSessionModule } from 'nestjs-layered-cache/session';
import { dataSourceOptions } from '../../../src/database/data-source.options.js';
import { AuthModule } from '../../../src/modules/auth/auth.module.js';
import type { LoginLimits } from '../../../src/modules/auth/login-limiter.service.js';

/** The app's auth routes alone (sessions, login limits) on the test database: one instance. */
export async function startAuthApp(options: {
  redis: RedisModuleOptions;
  prefix: string;
  limits: LoginLimits;
}): Promise<INestApplication> {
  const { redis, prefix, limits } = options;
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot(dataSourceOptions(inject('databaseUrl'))),
      CacheModule.forRoot({ isGlobal: true, prefix, redis }),
      CacheSessionModule.forRoot({ secret: 'a-session-secret-of-at-least-32-chars' }),
      AuthModule.forRoot({ limits, redis, prefix, secureCookie: false }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication();
  app.useLogger(false);
  return app.init();
}
