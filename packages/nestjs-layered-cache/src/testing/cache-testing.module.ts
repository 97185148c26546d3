import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CacheModuleOptions } from '../cache-options.interface.js';
import { CacheModule } from '../cache.module.js';
import { CacheService } from '../cache.service.js';

/** Everything but the shared tier: a testing cache never talks to Redis. */
export type CacheTestingOptions = Omit<CacheModuleOptions, 'redis' | 'bus' | 'lock'>;

/**
 * The real engine, in memory only, for your unit tests: no Redis to start, nothing left open.
 * Tags, namespaces, `getOrSet` single-flight, grace, decorators and `@CacheRoute` behave as in
 * production; what needs Redis (other instances, the stampede lock) is absent.
 *
 * ```ts
 * Test.createTestingModule({ imports: [CacheTestingModule.forRoot(), MyModule] })
 * ```
 */
@Module({})
export class CacheTestingModule {
  /** Global by default, as the module under test expects `CacheService` from the app's root. */
  static forRoot(options: CacheTestingOptions & { isGlobal?: boolean } = {}): DynamicModule {
    return CacheModule.forRoot({ isGlobal: true, ...options, redis: false });
  }
}

/** A `CacheService` without a Nest module of your own; `close()` when done. */
export async function createTestingCache(
  options: CacheTestingOptions = {},
): Promise<{ cache: CacheService; close(): Promise<void> }> {
  const app = await NestFactory.createApplicationContext(CacheTestingModule.forRoot(options), { logger: false });
  return { cache: app.get(CacheService), close: () => app.close() };
}
