import { Module, type DynamicModule } from '@nestjs/common';
import { durationProblems } from '../core/duration.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import type { CdcInvalidationOptions } from './cdc-options.interface.js';
import { CdcInvalidationService } from './cdc-invalidation.service.js';
import { CDC_OPTIONS } from './cdc.constants.js';

/**
 * Invalidation from Postgres logical replication (see CdcInvalidationService and docs/cdc.md):
 * `CdcInvalidationModule.forRoot()` once, beside `CacheModule.forRoot({ isGlobal: true })` and
 * `TypeOrmModule`. Needs `wal_level=logical` and a role with REPLICATION; says so at boot if not.
 */
@Module({})
export class CdcInvalidationModule {
  static forRoot(options: CdcInvalidationOptions = {}): DynamicModule {
    const problems = durationProblems(options, { leaderPollMs: 1, statusIntervalMs: 1, stuckAfterMs: 1 });
    if ('metrics' in options) {
      problems.push('`metrics` is gone: the cache_cdc_* gauges come with CacheMetricsModule, drop the option');
    }
    if (problems.length > 0) {
      throw new CacheConfigError(`Invalid CdcInvalidationModule options: ${problems.join('; ')}.`);
    }
    return {
      module: CdcInvalidationModule,
      global: true,
      providers: [{ provide: CDC_OPTIONS, useValue: options }, CdcInvalidationService],
      exports: [CdcInvalidationService],
    };
  }
}
