import { Module } from '@nestjs/common';
import { CacheAdminGuard } from '../access/cache-admin.guard.js';
import { CACHE_ADMIN_OPTIONS, type CacheAdminOptions } from '../access/cache-admin.options.js';
import { durationProblems } from '../core/duration.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { CacheAdminController } from './cache-admin.controller.js';
import { ADMIN_MODULE_OPTIONS, CacheAdminModuleClass } from './cache-admin.module-definition.js';
import { CacheAdminService } from './cache-admin.service.js';

/** The token and the history interval are checked when the options are resolved (at boot, also for forRootAsync). */
function validated(options: CacheAdminOptions): CacheAdminOptions {
  if (typeof options?.token !== 'string' || options.token.length < 16) {
    throw new CacheConfigError(
      'CacheAdminModule needs a token of at least 16 characters (32+ random ones in production)',
    );
  }
  const problems = durationProblems(options, { historyInterval: 1 });
  if (problems.length > 0) throw new CacheConfigError(`Invalid CacheAdminModule options: ${problems.join('; ')}.`);
  return options;
}

/**
 * `/cache/stats`, `/cache/invalidate`, `/cache/clear`, `/cache/keys`, `/cache/recommendations`,
 * `/cache/dashboard`, behind CacheAdminGuard: `CacheAdminModule.forRoot({ token })` or
 * `forRootAsync({ useFactory: (config) => ({ token: config.get('CACHE_ADMIN_TOKEN') }), inject })`.
 * Needs `CacheModule.forRoot({ isGlobal: true, ... })`.
 */
@Module({
  controllers: [CacheAdminController],
  providers: [
    { provide: CACHE_ADMIN_OPTIONS, inject: [ADMIN_MODULE_OPTIONS], useFactory: validated },
    CacheAdminGuard,
    CacheAdminService,
  ],
  exports: [CacheAdminService, CacheAdminGuard, CACHE_ADMIN_OPTIONS],
})
export class CacheAdminModule extends CacheAdminModuleClass {}
