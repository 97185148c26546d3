import { Module, type DynamicModule } from '@nestjs/common';
import { WriteBehindController } from './write-behind.controller.js';
import { WRITE_BEHIND_OPTIONS } from './write-behind.constants.js';
import type { WriteBehindOptions } from './write-behind.interface.js';
import { WriteBehindMetrics, writeBehindMetricProviders } from './write-behind.metrics.js';
import { WriteBehindService } from './write-behind.service.js';

/**
 * Durable write-behind on Redis (see WriteBehindService). Needs `CacheModule.forRoot({ isGlobal:
 * true, redis })`, TypeORM, `CacheAdminModule` (its guard) and the CacheWriteBehind migration.
 */
@Module({})
export class CacheWriteBehindModule {
  static forRoot(options: WriteBehindOptions): DynamicModule {
    return {
      module: CacheWriteBehindModule,
      global: true,
      controllers: [WriteBehindController],
      providers: [
        { provide: WRITE_BEHIND_OPTIONS, useValue: options },
        WriteBehindService,
        ...writeBehindMetricProviders,
        WriteBehindMetrics,
      ],
      exports: [WriteBehindService],
    };
  }
}
