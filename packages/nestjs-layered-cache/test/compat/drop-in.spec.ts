/**
 * The gaps issue 18 found between `@nestjs/cache-manager` + cache-manager 7 and this library, each
 * written as code that relies on the peer's behaviour, on real Redis.
 */
// A value import: `ByClass` is injected by the metadata of its `Cache` parameter type.
import { Cache, CACHE_MANAGER } from '@nestjs/cache-manager';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Cache as CacheManager } from 'cache-manager';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { CacheManagerModule } from '../../src/cache-manager/index.js';
import { CacheModule, CacheService, type CacheModuleOptions } from '../../src/index.js';
import { CACHE_MODULE_OPTIONS } from '../../src/cache.module-definition.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

const onRedis = (): CacheModuleOptions => ({ redis: { url: inject('redisUrl') }, prefix: uniquePrefix('dropin') });

/** Injected by class, without @Inject, as @nestjs/cache-manager allows. */
@Injectable()
class ByClass {
  constructor(readonly cache: Cache) {}
}

@Injectable()
class CacheConfig {
  createCacheOptions(): CacheModuleOptions {
    return { ...onRedis(), ttl: 1234 };
  }
}

@Injectable()
class LegacyConfig {
  create(): CacheModuleOptions {
    return { ...onRedis(), ttl: 4321 };
  }
}

@Module({ providers: [CacheConfig], exports: [CacheConfig] })
class ConfigModule {}

async function boot(imports: unknown[], providers: unknown[] = []): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({ imports, providers } as never).compile();
  return moduleRef.init();
}

describe('drop-in for @nestjs/cache-manager', () => {
  let app: INestApplicationContext;
  let manager: CacheManager;

  beforeAll(async () => {
    app = await boot(
      [CacheModule.forRoot({ ...onRedis(), isGlobal: true }), CacheManagerModule.forRoot({ isGlobal: true })],
      [ByClass],
    );
    manager = app.get(CACHE_MANAGER);
  });
  afterAll(() => app.close());

  it('provides the Cache class as a token for CACHE_MANAGER', () => {
    expect(app.get(ByClass).cache).toBe(manager);
  });

  it('ttl(key) is the absolute expiry (epoch ms), as cache-manager 7 returns it', async () => {
    const before = Date.now();
    await manager.set('ttl-key', 'v', 10_000);
    const expires = await manager.ttl('ttl-key');
    expect(expires).toBeGreaterThanOrEqual(before + 10_000 - 50);
    expect(expires).toBeLessThanOrEqual(Date.now() + 10_000 + 50);
    expect(await manager.ttl('absent-key')).toBeUndefined();
  });

  it('wrap(..., { raw: true }) on a hit carries the expiry', async () => {
    await manager.wrap('raw-key', () => 'v', 10_000);
    const raw = await manager.wrap('raw-key', () => 'other', { ttl: 10_000, raw: true });
    expect(raw).toEqual({ value: 'v', expires: expect.any(Number) });
    expect(raw?.expires).toBeGreaterThan(Date.now());
  });

  it('wrap(..., { refreshThreshold }) refreshes behind a hit and emits refresh', async () => {
    const listener = vi.fn();
    manager.on('refresh', listener);
    await manager.wrap('refresh-key', () => 1, 60_000);
    // 60 s left is below a 120 s threshold: this hit must trigger the refresh.
    expect(await manager.wrap('refresh-key', () => 2, { ttl: 60_000, refreshThreshold: 120_000 })).toBe(1);
    await vi.waitUntil(() => listener.mock.calls.length > 0, { timeout: 5000 });
    expect(listener).toHaveBeenCalledWith({ key: 'refresh-key', value: 2 });
    expect(await app.get(CacheService).get('refresh-key')).toBe(2);
  });

  it("iterates the store's own namespace by SCAN", async () => {
    const cache = app.get(CacheService);
    await manager.mset([
      { key: 'it:a', value: 1 },
      { key: 'it:b', value: 2 },
    ]);
    await cache.namespace('elsewhere').set('it:c', 3);
    const keyv = manager.stores[0]!;
    const seen = new Map<string, unknown>();
    for await (const [key, value] of keyv.iterator!({})) if (String(key).startsWith('it:')) seen.set(key, value);
    expect(Object.fromEntries(seen)).toEqual({ 'it:a': 1, 'it:b': 2 });
  });

  it('fails loudly on cache-manager options the engine cannot map', () => {
    expect(() => CacheManagerModule.forRoot({ stores: [] })).toThrow(/"stores" cannot be mapped/);
    expect(() => CacheManagerModule.forRoot({ nonBlocking: true })).toThrow(/"nonBlocking" cannot be mapped/);
  });
});

describe('CacheModule options factories, as @nestjs/cache-manager accepts them', () => {
  const ttlOf = (app: INestApplicationContext) => app.get<CacheModuleOptions>(CACHE_MODULE_OPTIONS).ttl;

  it('forRootAsync({ useClass }) with createCacheOptions()', async () => {
    const app = await boot([CacheModule.forRootAsync({ useClass: CacheConfig })]);
    expect(ttlOf(app)).toBe(1234);
    await app.close();
  });

  it('forRootAsync({ useExisting }) with createCacheOptions()', async () => {
    const app = await boot([CacheModule.forRootAsync({ imports: [ConfigModule], useExisting: CacheConfig })]);
    expect(ttlOf(app)).toBe(1234);
    await app.close();
  });

  it('a factory class with create() keeps working', async () => {
    const app = await boot([CacheModule.forRootAsync({ useClass: LegacyConfig })]);
    expect(ttlOf(app)).toBe(4321);
    await app.close();
  });

  it('register() and registerAsync() are forRoot() and forRootAsync()', async () => {
    const app = await boot([
      CacheModule.register({ ...onRedis(), ttl: 777, isGlobal: true }),
      CacheManagerModule.forRoot(),
    ]);
    expect(ttlOf(app)).toBe(777);
    await app.close();
    const asyncApp = await boot([CacheModule.registerAsync({ useFactory: () => ({ ...onRedis(), ttl: 778 }) })]);
    expect(ttlOf(asyncApp)).toBe(778);
    await asyncApp.close();
  });
});
