import { Inject, Injectable, Module, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { inject } from 'vitest';
import { CacheModule, CacheService, type RedisModuleOptions } from '../../../src/index.js';
import { CacheAdminModule } from '../../../src/admin/index.js';
import { CacheMetricsModule } from '../../../src/metrics/index.js';
import { CacheWarmer, CacheWarmingModule, CacheWarmingService, type WarmContext } from '../../../src/warming/index.js';
import { deferred } from '../../helpers/cache-instance.js';

export const TOKEN = 'warming-test-token-0123456789abcdef';

/** Shared by every instance in a test: how often each warmer and loader ran. */
export class Counters {
  readonly runs = new Map<string, number>();
  readonly loads = new Map<string, number>();
  gate = deferred();
  gateEntered = deferred();

  bump(map: Map<string, number>, key: string): number {
    const n = (map.get(key) ?? 0) + 1;
    map.set(key, n);
    return n;
  }
}

export const itemOptions = (i: number) => ({ ttl: 60_000, tags: [`item:${i}`, 'items'] });

abstract class BaseWarmers {
  constructor(protected readonly counters: Counters) {}

  /** Declared on a base class: discovery follows the prototype chain. */
  @CacheWarmer({ name: 'inherited' })
  async inherited(): Promise<void> {
    this.counters.bump(this.counters.runs, 'inherited');
  }
}

@Injectable()
class Warmers extends BaseWarmers implements OnModuleInit {
  constructor(
    @Inject(Counters) counters: Counters,
    @Inject(CacheWarmingService) private readonly warming: CacheWarmingService,
    @Inject(CacheService) private readonly cache: CacheService,
  ) {
    super(counters);
  }

  onModuleInit(): void {
    this.warming.register(
      'hot:*',
      (key) => `${key}@${this.counters.bump(this.counters.loads, key)}`,
      () => ({ ttl: 1000 }),
    );
  }

  /** What a read does for `item:<i>`: the warmer must store exactly this. */
  readItem(i: number): Promise<string> {
    return this.cache.getOrSet(`item:${i}`, () => this.loadItem(i), itemOptions(i));
  }

  loadItem(i: number): string {
    this.counters.bump(this.counters.loads, `item:${i}`);
    return `value-${i}`;
  }

  @CacheWarmer({ name: 'ticker', schedule: 400, attempts: 1 })
  async ticker(): Promise<void> {
    this.counters.bump(this.counters.runs, 'ticker');
  }

  @CacheWarmer({ name: 'items', onStartup: true, concurrency: 3 })
  async items(ctx: WarmContext): Promise<void> {
    this.counters.bump(this.counters.runs, 'items');
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    await ctx.each(ids, (i) => ctx.warm(`item:${i}`, () => this.loadItem(i), itemOptions(i)));
  }

  @CacheWarmer({ name: 'flaky', attempts: 2 })
  async flaky(): Promise<void> {
    this.counters.bump(this.counters.runs, 'flaky');
    throw new Error('the upstream is down');
  }

  @CacheWarmer({ name: 'gated' })
  async gated(ctx: WarmContext): Promise<void> {
    await ctx.warm(
      'gated',
      async () => {
        this.counters.gateEntered.resolve();
        await this.counters.gate.promise;
        return 'loaded before the invalidation';
      },
      { tags: ['gated'] },
    );
  }
}

export async function bootWarmingApp(
  prefix: string,
  counters: Counters,
  deploymentId: string,
  redis: RedisModuleOptions = { url: inject('redisUrl') },
): Promise<INestApplication> {
  @Module({ providers: [{ provide: Counters, useValue: counters }, Warmers], exports: [Warmers] })
  class WarmersModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [
      CacheModule.forRoot({ isGlobal: true, prefix, redis }),
      CacheAdminModule.forRoot({ token: TOKEN }),
      // Warming's metrics live in the metrics module, fed by its `warming:run` events.
      CacheMetricsModule.forRoot({ defaultMetrics: false }),
      CacheWarmingModule.forRoot({
        deploymentId,
        refreshAhead: { every: 250, threshold: 700, sample: 1, top: 20 },
      }),
      WarmersModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication();
  app.useLogger(false);
  await app.init();
  return app;
}

export { Warmers };
