import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CacheWarmingController } from './cache-warming.controller.js';
import { CacheWarmingModuleClass } from './cache-warming.module-definition.js';
import { CacheWarmingService } from './cache-warming.service.js';
import { WarmerRegistry } from './warmer-registry.explorer.js';

/**
 * `@CacheWarmer` methods run on a BullMQ queue: scheduled (once per tick across instances), on
 * startup (once per deployment), on demand (`POST /cache/warm`), plus predictive refresh-ahead.
 * `CacheWarmingModule.forRoot(options)` or `forRootAsync({ useFactory, inject })`. Needs
 * `CacheModule.forRoot({ isGlobal: true, redis })`; its admin routes need `CacheAdminModule`.
 * Global: warmer providers anywhere register read-through loaders on CacheWarmingService.
 * Finished runs are `warming:run` events on the cache's emitter (CacheMetricsModule counts them).
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [CacheWarmingController],
  providers: [WarmerRegistry, CacheWarmingService],
  exports: [CacheWarmingService],
})
export class CacheWarmingModule extends CacheWarmingModuleClass {}
