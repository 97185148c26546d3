/**
 * The modules, controllers and config classes of @nestjs/cache-manager's tests/src (nestjs/cache-manager),
 * with their imports switched from `../../lib` to this library. Adapted: (1) `CacheModule` is ours,
 * and `CACHE_MANAGER` comes from `CacheManagerModule.forRoot({ isGlobal: true })`, which the
 * migration adds next to it (opt-in, see docs/cache-manager.md); (2) each options factory also
 * returns `redis` and a unique `prefix`, so every app runs on real Redis, isolated from the others;
 * (3) `CacheModule` is global where CacheManagerModule needs its CacheService.
 */
import { type Cache, CACHE_MANAGER, CacheInterceptor, CacheTTL } from '@nestjs/cache-manager';
import { Controller, Get, Inject, Injectable, Module, UseInterceptors } from '@nestjs/common';
import { inject } from 'vitest';
import { CacheManagerModule } from '../../../src/cache-manager/index.js';
import { CacheModule, type CacheModuleOptions } from '../../../src/index.js';
import { uniquePrefix } from '../../helpers/cache-instance.js';

const onRedis = (): Pick<CacheModuleOptions, 'redis' | 'prefix'> => ({
  redis: { url: inject('redisUrl') },
  prefix: uniquePrefix('nestcm'),
});

// tests/src/async-register
@Injectable()
export class CacheConfig {
  createCacheOptions(): CacheModuleOptions {
    const ttl = 100;
    return { ttl, ...onRedis() };
  }
}

@Controller()
export class AsyncRegisterController {
  constructor(@Inject(CACHE_MANAGER) private cacheManager: Cache) {}

  @Get()
  async getFromStore(): Promise<string> {
    const value: string | undefined = await this.cacheManager.get('key');
    if (!value) {
      await this.cacheManager.set('key', 'value');
    }
    return value ?? 'Not found';
  }
}

@Module({
  imports: [
    CacheModule.registerAsync({ isGlobal: true, useClass: CacheConfig }),
    CacheManagerModule.forRoot({ isGlobal: true }),
  ],
  controllers: [AsyncRegisterController],
})
export class AsyncRegisterModule {}

// tests/src/async-register-extra-providers
@Injectable()
export class ConfigService {
  public getTtl(): number {
    return 100;
  }
}

@Injectable()
export class ExtraCacheConfig {
  constructor(private readonly configService: ConfigService) {}
  createCacheOptions(): CacheModuleOptions {
    const ttl = this.configService.getTtl();
    return { ttl, ...onRedis() };
  }
}

@Module({
  imports: [
    CacheModule.registerAsync({ extraProviders: [ConfigService], isGlobal: true, useClass: ExtraCacheConfig }),
    CacheManagerModule.forRoot({ isGlobal: true }),
  ],
  controllers: [AsyncRegisterController],
})
export class AsyncRegisterExtraModule {}

// tests/src/custom-ttl
@Controller()
@CacheTTL(600)
export class CustomTtlController {
  counter = 0;

  @Get()
  @CacheTTL(500)
  @UseInterceptors(CacheInterceptor)
  getNumber() {
    return this.counter++;
  }

  @Get('/controller')
  @UseInterceptors(CacheInterceptor)
  getNumberWithControllerTTL() {
    return this.counter++;
  }
}

@Module({
  // The peer's `CacheModule.register()`: async here only so that each app gets its own prefix;
  // global because CacheManagerModule, a separate module, needs CacheService.
  imports: [CacheModule.registerAsync({ isGlobal: true, useFactory: onRedis }), CacheManagerModule.forRoot()],
  controllers: [CustomTtlController],
})
export class CustomTtlModule {}
