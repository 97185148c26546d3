import { Module, type DynamicModule } from '@nestjs/common';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { CacheAdminController } from './cache-admin.controller.js';
import { CacheAdminGuard } from '../access/cache-admin.guard.js';
import { CACHE_ADMIN_OPTIONS, type CacheAdminOptions } from '../access/cache-admin.options.js';
import { CacheAdminService } from './cache-admin.service.js';

/**
 * `/cache/stats`, `/cache/invalidate`, `/cache/clear`, `/cache/keys`, `/cache/recommendations`,
 * `/cache/dashboard`, behind CacheAdminGuard. Needs `CacheModule.forRoot({ isGlobal: true, ... })`.
 */
@Module({})
export class CacheAdminModule {
  static forRoot(options: CacheAdminOptions): DynamicModule {
    if (typeof options.token !== 'string' || options.token.length < 16) {
      throw new CacheConfigError(
        'CacheAdminModule needs a token of at least 16 characters (32+ random ones in production)',
      );
    }
    return {
      module: CacheAdminModule,
      // Global: other cache features (warming) guard their admin routes with the same guard.
      global: true,
      controllers: [CacheAdminController],
      providers: [{ provide: CACHE_ADMIN_OPTIONS, useValue: options }, CacheAdminGuard, CacheAdminService],
      exports: [CacheAdminService, CacheAdminGuard, CACHE_ADMIN_OPTIONS],
    };
  }
}
