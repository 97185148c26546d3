import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { WriteBehindService } from './write-behind.service.js';

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

@Injectable()
export class WriteBehindMetrics implements OnModuleInit, OnModuleDestroy {
  private off: (() => void) | undefined;

  constructor(
    @Inject(WriteBehindService) private readonly writeBehind: WriteBehindService,
    @InjectMetric(WB_METRICS.batches) private readonly batches: Counter,
    @InjectMetric(WB_METRICS.rows) private readonly rows: Counter,
    @InjectMetric(WB_METRICS.pending) private readonly pending: Gauge,
    @InjectMetric(WB_METRICS.oldest) private readonly oldest: Gauge,
    @InjectMetric(WB_METRICS.dead) private readonly dead: Gauge,
  ) {}

  onModuleInit(): void {
    this.off = this.writeBehind.onEvent((e) => {
      this.batches.inc({ entity: e.entity, result: e.kind });
      if (e.kind === 'applied') this.rows.inc({ entity: e.entity }, e.rows);
    });
    // Read from Redis at scrape time (prom-client awaits an async collect).
    (this.pending as unknown as { collect: () => Promise<void> }).collect = async () => {
      for (const c of await this.writeBehind.counts().catch(() => [])) {
        this.pending.set({ entity: c.entity }, c.pendingRows);
        this.oldest.set({ entity: c.entity }, (c.oldestMs ?? 0) / 1000);
        this.dead.set({ entity: c.entity }, c.dead);
      }
    };
  }

  onModuleDestroy(): void {
    this.off?.();
  }
}
