import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { CacheService } from '../cache.service.js';
import { CACHE_L2_INSPECTOR } from '../cache.internal-constants.js';
import type { L2Inspector } from '../l2/l2-inspector.js';

/**
 * `@nestjs/terminus` indicator. Redis unreachable or the bus unsubscribed is `degraded`, never
 * `down`: the cache fails open, so the app still serves (from the loaders).
 */
@Injectable()
export class CacheHealthIndicator {
  constructor(
    @Inject(CacheService) private readonly cache: CacheService,
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
    @Optional() @Inject(CACHE_L2_INSPECTOR) private readonly inspector: L2Inspector | null,
  ) {}

  async check<const Key extends string = 'cache'>(
    key: Key = 'cache' as Key,
    timeout = 1000,
  ): Promise<HealthIndicatorResult<Key>> {
    const session = this.health.check(key);
    const stats = this.cache.stats();
    const bus = stats.bus === null ? 'off' : stats.bus.trusted ? 'subscribed' : 'unsubscribed';
    if (!this.inspector) return session.up({ l1: stats.l1 ? 'on' : 'off', l2: 'off', bus });
    let pingMs: number | undefined;
    try {
      pingMs = await Promise.race([
        this.inspector.ping(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no answer in ${timeout} ms`)), timeout).unref(),
        ),
      ]);
    } catch (error) {
      return session.degraded({ l2: 'down', bus, error: (error as Error).message });
    }
    if (bus === 'unsubscribed') return session.degraded({ l2: 'up', pingMs, bus });
    return session.up({ l2: 'up', pingMs, bus });
  }
}
