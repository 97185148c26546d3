import { Module } from '@nestjs/common';
import { CacheWriteBehindModuleClass } from './cache-write-behind.module-definition.js';
import { WriteBehindController } from './write-behind.controller.js';
import { WriteBehindMetrics, writeBehindMetricProviders } from './write-behind.metrics.js';
import { WriteBehindService } from './write-behind.service.js';

/**
 * Durable write-behind on Redis (see WriteBehindService): `CacheWriteBehindModule.forRoot(options)`
 * or `forRootAsync({ useFactory, inject })`. Needs `CacheModule.forRoot({ isGlobal: true, redis })`,
 * TypeORM and the CacheWriteBehind migration; its admin routes need `CacheAdminModule`.
 */
@Module({
  controllers: [WriteBehindController],
  providers: [WriteBehindService, ...writeBehindMetricProviders, WriteBehindMetrics],
  exports: [WriteBehindService],
})
export class CacheWriteBehindModule extends CacheWriteBehindModuleClass {}
