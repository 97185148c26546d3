import { resolve } from 'node:path';
import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CacheModule } from 'nestjs-layered-cache';
import { CacheAdminModule } from 'nestjs-layered-cache/admin';
import { CdcInvalidationModule } from 'nestjs-layered-cache/cdc';
import { CacheMetricsModule } from 'nestjs-layered-cache/metrics';
import { CacheSessionModule } from 'nestjs-layered-cache/session';
import { CacheWarmingModule } from 'nestjs-layered-cache/warming';
import { CacheWriteBehindModule } from 'nestjs-layered-cache/write-behind';
import { Document } from './modules/documents/document.entity.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { DatabaseUnavailableFilter } from './common/filters/index.js';
import { QueueConnection, QueueConnectionModule } from './common/queue/queue-connection.js';
import type { AppRuntime } from './config/app-config.js';
import { databaseTimeouts, dataSourceOptions } from './database/data-source.options.js';
import { PoolClientGuard } from './database/pool-client-guard.js';
import { DocumentsModule } from './modules/documents/documents.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { InventoryModule } from './modules/inventory/inventory.module.js';
import { ProductsModule } from './modules/products/products.module.js';

const DEV_SESSION_SECRET = 'development-only-session-secret-not-for-production';

@Module({})
export class AppModule {
  /** The sample app, wired to already-resolved database and Redis URLs. */
  static forRoot(runtime: AppRuntime): DynamicModule {
    const { config } = runtime;
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(runtime.databaseUrl, databaseTimeouts(config))),
        CacheModule.forRoot({
          isGlobal: true,
          prefix: config.CACHE_PREFIX,
          redis: runtime.redis,
          l1: { maxBytes: config.CACHE_L1_MAX_BYTES, maxEntries: config.CACHE_L1_MAX_ENTRIES },
          // With the database down, expired answers stand in (marked stale) for up to this long.
          failSafe: config.CACHE_FAIL_SAFE > 0 ? { maxStale: config.CACHE_FAIL_SAFE } : false,
        }),
        // Every committed write (the seed's raw SQL, psql, migrations) invalidates, not only TypeORM's.
        ...(config.CACHE_CDC === 'true' ? [CdcInvalidationModule.forRoot({ setReplicaIdentityFull: true })] : []),
        // BullMQ jobs live under their own prefix, apart from the cache's keys.
        BullModule.forRootAsync({
          imports: [QueueConnectionModule.forRoot(runtime.redis)],
          inject: [QueueConnection],
          useFactory: (queues: QueueConnection) => ({
            connection: queues.client,
            prefix: queues.prefix(`${config.CACHE_PREFIX}-bull`),
          }),
        }),
        // Outside production a fixed development secret keeps sessions valid across restarts.
        CacheSessionModule.forRoot({ secret: config.SESSION_SECRET ?? DEV_SESSION_SECRET }),
        AuthModule.forRoot({
          limits: {
            perIp: config.LOGIN_LIMIT_PER_IP,
            perAccount: config.LOGIN_LIMIT_PER_ACCOUNT,
            perAccountAnyIp: config.LOGIN_LIMIT_PER_ACCOUNT_ANY_IP,
          },
          redis: runtime.redis,
          prefix: config.CACHE_PREFIX,
          secureCookie: config.NODE_ENV === 'production',
        }),
        CacheAdminModule.forRoot({ token: runtime.adminToken, historyInterval: config.CACHE_ADMIN_HISTORY_INTERVAL }),
        CacheMetricsModule.forRoot(),
        // Document reads count themselves without a database write per read.
        CacheWriteBehindModule.forRoot({
          entities: [{ target: Document }],
          flushInterval: config.WRITE_BEHIND_FLUSH_INTERVAL,
        }),
        CacheWarmingModule.forRoot({
          // bootstrap.ts runs them once migrations and the seed are done.
          startup: 'manual',
          refreshAhead: { every: config.CACHE_REFRESH_AHEAD_INTERVAL },
        }),
        HealthModule,
        ProductsModule,
        InventoryModule,
        DocumentsModule.forRoot({
          dir: resolve(config.DOCUMENTS_DIR ?? `${config.DATA_DIR}/documents`),
          maxBytes: config.DOCUMENTS_MAX_BYTES,
          maxPixels: config.DOCUMENTS_MAX_PIXELS,
        }),
      ],
      providers: [{ provide: APP_FILTER, useClass: DatabaseUnavailableFilter }, PoolClientGuard],
    };
  }
}
