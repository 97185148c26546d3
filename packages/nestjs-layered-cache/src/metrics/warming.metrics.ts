import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { CacheService } from '../cache.service.js';

export const WARM_METRICS = {
  jobs: 'cache_warm_jobs_total',
  items: 'cache_warm_items_total',
  seconds: 'cache_warm_duration_seconds',
} as const;

export const warmMetricProviders = [
  makeCounterProvider({
    name: WARM_METRICS.jobs,
    help: 'Finished warm runs by warmer and status',
    labelNames: ['warmer', 'status'],
  }),
  makeCounterProvider({ name: WARM_METRICS.items, help: 'Entries stored by warmers', labelNames: ['warmer'] }),
  makeHistogramProvider({
    name: WARM_METRICS.seconds,
    help: 'Duration of successful warm runs',
    labelNames: ['warmer'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
  }),
];

/**
 * Counts the warming module's `warming:run` events. Imports nothing from warming/ (integrations
 * stand alone): the event's type is the one warming merges into CacheEventMap. Without the
 * warming module the event never fires and these metrics stay empty.
 */
@Injectable()
export class WarmingMetrics implements OnModuleInit, OnModuleDestroy {
  private off: (() => void) | undefined;

  constructor(
    @Inject(CacheService) private readonly cache: CacheService,
    @InjectMetric(WARM_METRICS.jobs) private readonly jobs: Counter,
    @InjectMetric(WARM_METRICS.items) private readonly items: Counter,
    @InjectMetric(WARM_METRICS.seconds) private readonly seconds: Histogram,
  ) {}

  onModuleInit(): void {
    this.off = this.cache.on('warming:run', (run) => {
      this.jobs.inc({ warmer: run.warmer, status: run.status });
      if (run.status !== 'completed') return;
      this.items.inc({ warmer: run.warmer }, run.items);
      this.seconds.observe({ warmer: run.warmer }, run.durationMs / 1000);
    });
  }

  onModuleDestroy(): void {
    this.off?.();
  }
}
