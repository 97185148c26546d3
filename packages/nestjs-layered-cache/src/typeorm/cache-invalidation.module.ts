import { Module, type DynamicModule } from '@nestjs/common';
import { EntityInvalidationSubscriber } from './entity-invalidation.subscriber.js';
import type { CacheInvalidationOptions } from './invalidation-options.interface.js';
import { CACHE_INVALIDATION_OPTIONS } from './invalidation.constants.js';

/**
 * Invalidates cache tags from TypeORM entity changes, at commit (see `entityTags`):
 * `CacheInvalidationModule.forFeature({ rules })` in each module whose entities have rules. Needs
 * `CacheModule.forRoot({ isGlobal: true })` and `TypeOrmModule`.
 */
@Module({})
export class CacheInvalidationModule {
  static forFeature(options: CacheInvalidationOptions = {}): DynamicModule {
    return {
      module: CacheInvalidationModule,
      providers: [{ provide: CACHE_INVALIDATION_OPTIONS, useValue: options }, EntityInvalidationSubscriber],
    };
  }
}
