import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { CacheService } from 'nestjs-layered-cache';
import { CacheManagerModule } from 'nestjs-layered-cache/cache-manager';

/** One integration's subpath, usable once its optional peers are installed. */
@Controller('cache-manager')
export class LegacyController {
  constructor(
    @Inject(CACHE_MANAGER) private readonly manager: Cache,
    private readonly cache: CacheService,
  ) {}

  @Get()
  async roundTrip(): Promise<{ viaService: unknown }> {
    await this.manager.set('legacy', { written: 'by cache-manager' }, 60_000);
    return { viaService: await this.cache.get('legacy') };
  }
}

@Module({ imports: [CacheManagerModule.forRoot()], controllers: [LegacyController] })
export class LegacyModule {}
