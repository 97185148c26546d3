import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, inject, it } from 'vitest';
import { CacheConfigError, CacheModule, CacheService } from '../../src/index.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

const SETTINGS = 'SETTINGS';

@Module({
  providers: [{ provide: SETTINGS, useFactory: () => ({ url: inject('redisUrl'), ttl: 5_000 }) }],
  exports: [SETTINGS],
})
class SettingsModule {}

@Injectable()
class Consumer {
  constructor(@Inject(CacheService) readonly cache: CacheService) {}
}

/** Does not import CacheModule: it relies on `isGlobal`. */
@Module({ providers: [Consumer], exports: [Consumer] })
class FeatureModule {}

describe('CacheModule wiring', () => {
  it('forRootAsync builds options from injected providers, and isGlobal exposes CacheService everywhere', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.forRootAsync({
          isGlobal: true,
          imports: [SettingsModule],
          inject: [SETTINGS],
          useFactory: (settings: { url: string; ttl: number }) => ({
            prefix: uniquePrefix('async'),
            ttl: settings.ttl,
            redis: { url: settings.url },
          }),
        }),
        FeatureModule,
      ],
    }).compile();
    const app = await moduleRef.init();
    const { cache } = app.get(Consumer);
    await cache.set('k', 'v');
    expect(await cache.get('k')).toBe('v');
    expect(cache.stats().l2).not.toBeNull();
    await app.close();
  });

  it('refuses to boot with invalid options, naming the option', async () => {
    const boot = Test.createTestingModule({
      imports: [CacheModule.forRootAsync({ useFactory: () => ({ redis: false, ttl: 0 }) })],
    }).compile();
    await expect(boot).rejects.toThrow(CacheConfigError);
    await expect(
      Test.createTestingModule({ imports: [CacheModule.forRoot({ redis: false, ttl: 0 })] }).compile(),
    ).rejects.toThrow(/ttl: ttl must be > 0 ms/);
  });
});
