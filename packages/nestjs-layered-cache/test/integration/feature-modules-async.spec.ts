import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CacheAdminModule } from '../../src/admin/index.js';
import { CdcInvalidationModule } from '../../src/cdc/index.js';
import { CacheConfigError, CacheModule } from '../../src/index.js';
import { CacheMetricsModule } from '../../src/metrics/index.js';
import { CacheSessionModule, SessionService } from '../../src/session/index.js';
import { CacheWarmingModule, CacheWarmingService } from '../../src/warming/index.js';
import { CacheWriteBehindModule } from '../../src/write-behind/index.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

/** Stands in for @nestjs/config: secrets that exist only once a provider has run. */
@Injectable()
class Settings {
  private readonly values: Record<string, string> = {
    ADMIN_TOKEN: 'token-from-settings-0123456789',
    SESSION_SECRET: 'secret-from-settings-0123456789',
    METRICS_PATH: '/internal/metrics',
  };

  get(name: string): string {
    return this.values[name];
  }
}

@Module({ providers: [Settings], exports: [Settings] })
class SettingsModule {}

const fromSettings = <T>(build: (settings: Settings) => T) => ({
  imports: [SettingsModule],
  inject: [Settings],
  useFactory: build,
});

describe('feature modules take their options from providers (forRootAsync)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.forRoot({ isGlobal: true, prefix: uniquePrefix('async'), redis: { url: inject('redisUrl') } }),
        CacheAdminModule.forRootAsync(fromSettings((s) => ({ token: s.get('ADMIN_TOKEN') }))),
        CacheSessionModule.forRootAsync(fromSettings((s) => ({ secret: s.get('SESSION_SECRET') }))),
        CacheMetricsModule.forRootAsync(fromSettings((s) => ({ path: s.get('METRICS_PATH'), defaultMetrics: false }))),
        CacheWarmingModule.forRootAsync(fromSettings(() => ({ refreshAhead: false as const }))),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app?.close());

  it('guards admin routes with the token the factory returned', async () => {
    const http = request(app.getHttpServer());
    await http.get('/cache/stats').set('Authorization', 'Bearer token-from-settings-0123456789').expect(200);
    await http.get('/cache/stats').set('Authorization', 'Bearer some-other-token-0123456789').expect(403);
    // Warming's routes use the same guard and token.
    await http.get('/cache/warmers').set('Authorization', 'Bearer token-from-settings-0123456789').expect(200);
  });

  it('serves metrics on the path the factory returned, and builds sessions and warming', async () => {
    const res = await request(app.getHttpServer()).get('/internal/metrics').expect(200);
    expect(res.text).toMatch(/cache_requests_total|# HELP cache_/);
    expect(app.get(SessionService)).toBeInstanceOf(SessionService);
    expect(app.get(CacheWarmingService)).toBeInstanceOf(CacheWarmingService);
  });

  it('rejects a factory-provided admin token or session secret that is too short, at boot', async () => {
    const cache = CacheModule.forRoot({ isGlobal: true, prefix: uniquePrefix('async'), redis: false });
    for (const feature of [
      CacheAdminModule.forRootAsync({ useFactory: () => ({ token: 'short' }) }),
      CacheSessionModule.forRootAsync({ useFactory: () => ({ secret: 'short' }) }),
    ]) {
      const moduleRef = Test.createTestingModule({ imports: [cache, feature] });
      await expect(moduleRef.compile()).rejects.toBeInstanceOf(CacheConfigError);
    }
  });

  it('rejects durations that are not ones by the same rule as the core options, naming the option', async () => {
    const cache = CacheModule.forRoot({ isGlobal: true, prefix: uniquePrefix('async'), redis: false });
    const token = 'token-from-settings-0123456789';
    const secret = 'secret-from-settings-0123456789';
    for (const [feature, message] of [
      [
        CacheAdminModule.forRootAsync({ useFactory: () => ({ token, historyInterval: 0 }) }),
        /CacheAdminModule options: historyInterval must be > 0 ms, got 0/,
      ],
      [
        CacheSessionModule.forRootAsync({ useFactory: () => ({ secret, ttl: Number.NaN }) }),
        /CacheSessionModule options: ttl must be a number of milliseconds, got NaN/,
      ],
    ] as const) {
      const moduleRef = Test.createTestingModule({ imports: [cache, feature] });
      await expect(moduleRef.compile()).rejects.toThrow(message);
    }
    const redisCache = CacheModule.forRoot({
      isGlobal: true,
      prefix: uniquePrefix('async'),
      redis: { url: inject('redisUrl') },
    });
    for (const [feature, message] of [
      [
        CacheWriteBehindModule.forRoot({ entities: [], flushInterval: 0 }),
        /CacheWriteBehindModule options: flushInterval must be > 0 ms, got 0/,
      ],
      [
        CacheWarmingModule.forRoot({ refreshAhead: { every: Number.NaN } }),
        /CacheWarmingModule refreshAhead options: every must be a number of milliseconds, got NaN/,
      ],
    ] as const) {
      const moduleRef = Test.createTestingModule({ imports: [redisCache, feature] });
      await expect(moduleRef.compile()).rejects.toThrow(message);
    }
    expect(() => CdcInvalidationModule.forRoot({ leaderPollMs: -1, stuckAfterMs: 1e15 })).toThrow(
      /leaderPollMs must be > 0 ms, got -1; stuckAfterMs must be at most \d+ ms/,
    );
  });
});
