import { Module, type DynamicModule } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { cacheManagerProvider } from './cache-manager.provider.js';

/**
 * Nest's `CACHE_MANAGER` (a cache-manager 7 `Cache`) on this engine, for code written against
 * `@nestjs/cache-manager`: `CacheManagerModule.forRoot({ isGlobal: true })` next to
 * `CacheModule.forRoot({ isGlobal: true, ... })`. Opt-in: it loads cache-manager and Keyv.
 */
@Module({})
export class CacheManagerModule {
  static forRoot(options: { isGlobal?: boolean } = {}): DynamicModule {
    return {
      module: CacheManagerModule,
      global: options.isGlobal ?? false,
      providers: [cacheManagerProvider],
      exports: [CACHE_MANAGER],
    };
  }
}
