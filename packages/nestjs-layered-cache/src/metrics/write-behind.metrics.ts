import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { CacheService } from '../cache.service.js';
import type { CacheRequestAnswer } from '../events/cache-events.interface.js';
import { onScrape } from './on-scrape.js';

export const WB_METRICS = {
  batches: 'cache_write_behind_batches_total',
  rows: 'cache_write_behind_rows_applied_total',
  pending: 'cache_write_behind_pending_rows',
  oldest: 'cache_write_behind_oldest_pending_seconds',
  dead: 'cache_write_behind_dead_batches',
} as const;

export const writeBehindMetricProviders = [
  makeCounterProvider({
    name: WB_METRICS.batches,
    help: 'Write-behind batches by entity and outcome (applied, failed, dead)',
    labelNames: ['entity', 'result'],
  }),
  makeCounterProvider({
    name: WB_METRICS.rows,
    help: 'Rows written to the database by write-behind',
    labelNames: ['entity'],
  }),
  makeGaugeProvider({ name: WB_METRICS.pending, help: 'Rows waiting to be written', labelNames: ['entity'] }),
  makeGaugeProvider({ name: WB_METRICS.oldest, help: 'Age of the oldest waiting write', labelNames: ['entity'] }),
  makeGaugeProvider({ name: WB_METRICS.dead, help: 'Batches in the dead-letter list', labelNames: ['entity'] }),
];

type Counts = CacheRequestAnswer<'write-behind:counts'>;

/**
 * Counts the write-behind module's `write-behind:batch` events; its gauges ask
 * `write-behind:counts` (answered from Redis) when Prometheus scrapes. Imports nothing from
 * write-behind/: the events' types are the ones write-behind merges into CacheEventMap.
 */
@Injectable()
export class WriteBehindMetrics implements OnModuleInit, OnModuleDestroy {
  private off: (() => void) | undefined;

  constructor(
    @Inject(CacheService) private readonly cache: CacheService,
    @InjectMetric(WB_METRICS.batches) private readonly batches: Counter,
    @InjectMetric(WB_METRICS.rows) private readonly rows: Counter,
    @InjectMetric(WB_METRICS.pending) private readonly pending: Gauge,
    @InjectMetric(WB_METRICS.oldest) private readonly oldest: Gauge,
    @InjectMetric(WB_METRICS.dead) private readonly dead: Gauge,
  ) {}

  onModuleInit(): void {
    this.off = this.cache.on('write-behind:batch', (e) => {
      this.batches.inc({ entity: e.entity, result: e.kind });
      if (e.kind === 'applied') this.rows.inc({ entity: e.entity }, e.rows);
    });
    // prom-client starts the three gauges' collects together: they share one request to Redis.
    let asking: Promise<Counts> | undefined;
    const counts = () =>
      (asking ??= this.cache
        .request('write-behind:counts')
        .then((all) => all.flat())
        .finally(() => (asking = undefined)));
    onScrape(this.pending, async () => {
      for (const c of await counts()) this.pending.set({ entity: c.entity }, c.pendingRows);
    });
    onScrape(this.oldest, async () => {
      for (const c of await counts()) this.oldest.set({ entity: c.entity }, (c.oldestMs ?? 0) / 1000);
    });
    onScrape(this.dead, async () => {
      for (const c of await counts()) this.dead.set({ entity: c.entity }, c.dead);
    });
  }

  onModuleDestroy(): void {
    this.off?.();
  }
}
