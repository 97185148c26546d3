import { CACHE_MANAGER, CacheInterceptor, CacheKey, CacheTTL } from '@nestjs/cache-manager';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  Module,
  Param,
  UseInterceptors,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Cache } from 'cache-manager';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CacheManagerModule } from '../../src/cache-manager/index.js';
import { CacheModule, CacheService } from '../../src/index.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

let handlerCalls = 0;

/** Written the way Nest's documentation shows, knowing nothing about our module. */
@Injectable()
class LegacyService {
  constructor(@Inject(CACHE_MANAGER) readonly cacheManager: Cache) {}
}

@Controller('legacy')
@UseInterceptors(CacheInterceptor)
class LegacyController {
  @Get('items/:id')
  item(@Param('id') id: string) {
    handlerCalls++;
    return { id, at: handlerCalls };
  }

  @Get('fixed')
  @CacheKey('legacy-fixed')
  @CacheTTL(60_000)
  fixed() {
    handlerCalls++;
    return { fixed: true };
  }
}

@Module({ providers: [LegacyService], controllers: [LegacyController] })
class LegacyModule {}

describe("Nest's CACHE_MANAGER and CacheInterceptor on our engine", () => {
  let app: INestApplication;
  let manager: Cache;
  let cache: CacheService;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.forRoot({ isGlobal: true, prefix: uniquePrefix('cm'), redis: { url: inject('redisUrl') } }),
        CacheManagerModule.forRoot({ isGlobal: true }),
        LegacyModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    manager = app.get(LegacyService).cacheManager;
    cache = app.get(CacheService);
  });
  afterAll(() => app.close());

  it('is a cache-manager 7 Cache sharing entries with CacheService, both ways, with types intact', async () => {
    await manager.set('shared', { at: new Date(0), n: 1 }, 60_000);
    expect(await cache.get('shared')).toEqual({ at: new Date(0), n: 1 });
    await cache.set('from-service', new Map([['k', 1]]));
    expect(await manager.get('from-service')).toEqual(new Map([['k', 1]]));
    await cache.delete('shared');
    expect(await manager.get('shared')).toBeUndefined();
    expect(await manager.del('from-service')).toBe(true);
    expect(await cache.get('from-service')).toBeUndefined();
  });

  it('honours cache-manager TTLs in milliseconds', async () => {
    await manager.set('short', 'v', 50);
    expect(await manager.get('short')).toBe('v');
    await new Promise((r) => setTimeout(r, 100));
    expect(await manager.get('short')).toBeUndefined();
  });

  it('wrap() loads once and then serves from the shared cache', async () => {
    let loads = 0;
    const load = async () => ++loads;
    expect(await manager.wrap('wrapped', load, 60_000)).toBe(1);
    expect(await manager.wrap('wrapped', load, 60_000)).toBe(1);
    expect(await cache.get('wrapped')).toBe(1);
  });

  it("keeps Nest's stock CacheInterceptor, @CacheKey and @CacheTTL working, stored in our engine", async () => {
    const http = request(app.getHttpServer());
    const first = await http.get('/legacy/items/7').expect(200);
    const second = await http.get('/legacy/items/7').expect(200);
    expect(second.body).toEqual(first.body);
    expect(await cache.get('/legacy/items/7')).toEqual(first.body);

    const calls = handlerCalls;
    await http.get('/legacy/fixed').expect(200);
    await http.get('/legacy/fixed').expect(200);
    expect(handlerCalls).toBe(calls + 1);
    expect(await cache.get('legacy-fixed')).toEqual({ fixed: true });
    // Invalidating through our API is seen by the stock interceptor.
    await cache.delete('legacy-fixed');
    await http.get('/legacy/fixed').expect(200);
    expect(handlerCalls).toBe(calls + 2);
  });
});
