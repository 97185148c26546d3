import { Module, type DynamicModule } from '@nestjs/common';
import { Cache, CACHE_MANAGER } from '@nestjs/cache-manager';
import { CACHE_MANAGER_OPTIONS, cacheManagerProviders, type CacheManagerOptions } from './cache-manager.provider.js';

/**
 * Nest's `CACHE_MANAGER` (a cache-manager 7 `Cache`, also injectable by its `Cache` class) on this
 * engine, for code written against `@nestjs/cache-manager`: `CacheManagerModule.forRoot({ isGlobal:
 * true })` next to `CacheModule.forRoot({ isGlobal: true, ... })`. Opt-in: it loads cache-manager and Keyv.
 */
@Module({})
export class CacheManagerModule {
  static forRoot(options: CacheManagerOptions & Record<string, unknown> = {}): DynamicModule {
    assertMappable(options);
    return {
      module: CacheManagerModule,
      global: options.isGlobal ?? false,
      providers: [{ provide: CACHE_MANAGER_OPTIONS, useValue: options }, ...cacheManagerProviders],
      exports: [CACHE_MANAGER, Cache],
    };
  }
}

/**
 * cache-manager options with no meaning on one engine fail here, at boot, rather than being ignored:
 * the engine is the only store (its L1 and L2 are the tiers), always blocking on its own terms.
 */
function assertMappable(options: Record<string, unknown>): void {
  for (const name of ['stores', 'store', 'nonBlocking', 'refreshAllStores']) {
    if (options[name] !== undefined) {
      throw new Error(
        `CacheManagerModule.forRoot: option "${name}" cannot be mapped: the engine (L1 + Redis) is the only store. See docs/cache-manager.md.`,
      );
    }
  }
}
