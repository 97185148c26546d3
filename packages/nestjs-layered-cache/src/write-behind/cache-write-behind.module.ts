import { Module } from '@nestjs/common';
import { CacheWriteBehindModuleClass } from './cache-write-behind.module-definition.js';
import { WriteBehindController } from './write-behind.controller.js';
import { WriteBehindService } from './write-behind.service.js';

/**
 * Durable write-behind on Redis (see WriteBehindService): `CacheWriteBehindModule.forRoot(options)`
 * or `forRootAsync({ useFactory, inject })`. Needs `CacheModule.forRoot({ isGlobal: true, redis })`,
 * TypeORM and the CacheWriteBehind migration; its admin routes need `CacheAdminModule`. Batches
 * are `write-behind:batch` events on the cache's emitter (CacheMetricsModule turns them into metrics).
 */
@Module({
  controllers: [WriteBehindController],
  providers: [WriteBehindService],
  exports: [WriteBehindService],
})
export class CacheWriteBehindModule extends CacheWriteBehindModuleClass {}
