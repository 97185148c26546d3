import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CacheWarmingController } from './cache-warming.controller.js';
import { CacheWarmingService } from './cache-warming.service.js';
import { WarmerRegistry } from './warmer-registry.explorer.js';
import { CACHE_WARMING_OPTIONS } from './warming.constants.js';
import type { CacheWarmingOptions } from './warming.interface.js';
import { WarmingMetrics, warmMetricProviders } from './warming.metrics.js';

/**
 * `@CacheWarmer` methods run on a BullMQ queue: scheduled (once per tick across instances), on
 * startup (once per deployment), on demand (`POST /cache/warm`), plus predictive refresh-ahead.
 * Needs `CacheModule.forRoot({ isGlobal: true, redis })` and `CacheAdminModule` (its guard).
 */
@Module({})
export class CacheWarmingModule {
  static forRoot(options: CacheWarmingOptions): DynamicModule {
    return {
      module: CacheWarmingModule,
      // Global: warmer providers anywhere register read-through loaders on CacheWarmingService.
      global: true,
      imports: [DiscoveryModule],
      controllers: [CacheWarmingController],
      providers: [
        { provide: CACHE_WARMING_OPTIONS, useValue: options },
        WarmerRegistry,
        CacheWarmingService,
        ...warmMetricProviders,
        WarmingMetrics,
      ],
      exports: [CacheWarmingService],
    };
  }
}
