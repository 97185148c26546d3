import { Module, type DynamicModule } from '@nestjs/common';
import { EntityInvalidationSubscriber } from './entity-invalidation.subscriber.js';
import type { CacheInvalidationOptions } from './invalidation-options.interface.js';
import { CACHE_INVALIDATION_OPTIONS } from './invalidation.constants.js';

/** Registered through `CacheModule.forFeature()`; needs `CacheModule.forRoot({ isGlobal: true })`. */
@Module({})
export class CacheInvalidationModule {
  static register(options: CacheInvalidationOptions = {}): DynamicModule {
    return {
      module: CacheInvalidationModule,
      providers: [{ provide: CACHE_INVALIDATION_OPTIONS, useValue: options }, EntityInvalidationSubscriber],
    };
  }
}
