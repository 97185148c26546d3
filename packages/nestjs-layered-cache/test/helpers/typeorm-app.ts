import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { inject } from 'vitest';
import { CacheModule, CacheService, type RedisModuleOptions } from '../../src/index.js';
import { CacheInvalidationModule, type EntityInvalidationRule } from '../../src/typeorm/index.js';
import { Widget } from '../fixtures/widget.entity.js';

export const widgetRule: EntityInvalidationRule<Widget> = {
  entity: Widget,
  tags: (before, after) => [before && `group:${before.groupId}`, after && `group:${after.groupId}`],
};

export interface TypeormCacheApp {
  app: INestApplicationContext;
  cache: CacheService;
  dataSource: DataSource;
}

/**
 * A Nest app with TypeORM (real Postgres), the cache (real Redis: the run's server unless `redis`
 * says otherwise) and the invalidation subscriber.
 */
export async function createTypeormCacheApp(prefix: string, redis?: RedisModuleOptions): Promise<TypeormCacheApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({ type: 'postgres', url: inject('databaseUrl'), entities: [Widget] }),
      CacheModule.forRoot({ isGlobal: true, prefix, redis: redis ?? { url: inject('redisUrl') } }),
      // Two feature modules, as an app with several would have: one subscriber, both modules' rules.
      CacheInvalidationModule.forFeature({}),
      CacheInvalidationModule.forFeature({ rules: [widgetRule] }),
    ],
  }).compile();
  const app = await moduleRef.init();
  return { app, cache: app.get(CacheService), dataSource: app.get<DataSource>(getDataSourceToken()) };
}
