import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { CacheService } from '../cache.service.js';
import { METRICS } from './cache-metrics.definitions.js';
import { CACHE_METRICS_OPTIONS, type CacheMetricsOptions } from './cache-metrics.options.js';
import { GroupLimiter } from './group-limiter.js';
import { onScrape } from './on-scrape.js';

/** Feeds the Prometheus metrics from the engine's typed events and its stats (gauges, at scrape time). */
@Injectable()
export class CacheMetricsCollector implements OnModuleInit, OnModuleDestroy {
  private readonly groups: GroupLimiter;
  private readonly routes: GroupLimiter;
  private readonly off: (() => unknown)[] = [];

  // Explicit tokens: metric providers are registered by name.
  constructor(
    @Inject(CacheService) private readonly cache: CacheService,
    @Inject(CACHE_METRICS_OPTIONS) options: CacheMetricsOptions,
    @InjectMetric(METRICS.requests) private readonly requests: Counter,
    @InjectMetric(METRICS.operationSeconds) private readonly operations: Histogram,
    @InjectMetric(METRICS.sets) private readonly sets: Counter,
    @InjectMetric(METRICS.setBytes) private readonly setBytes: Counter,
    @InjectMetric(METRICS.errors) private readonly errors: Counter,
    @InjectMetric(METRICS.invalidations) private readonly invalidations: Counter,
    @InjectMetric(METRICS.fillsRefused) private readonly fillsRefused: Counter,
    @InjectMetric(METRICS.busMessages) private readonly busMessages: Counter,
    @InjectMetric(METRICS.busLagSeconds) private readonly busLag: Histogram,
    @InjectMetric(METRICS.http) private readonly httpResults: Counter,
    @InjectMetric(METRICS.l1Entries) private readonly l1Entries: Gauge,
    @InjectMetric(METRICS.l1Bytes) private readonly l1Bytes: Gauge,
    @InjectMetric(METRICS.l1MaxBytes) private readonly l1MaxBytes: Gauge,
    @InjectMetric(`${METRICS.l1Evictions}_total`) private readonly l1Evictions: Counter,
    @InjectMetric(METRICS.l2Up) private readonly l2Up: Gauge,
    @InjectMetric(METRICS.l2CircuitOpen) private readonly l2Circuit: Gauge,
    @InjectMetric(METRICS.l2SoftTimeouts) private readonly l2SoftTimeouts: Counter,
    @InjectMetric(METRICS.failSafe) private readonly failSafe: Counter,
    @InjectMetric(METRICS.busSubscribed) private readonly busSubscribed: Gauge,
  ) {
    this.groups = new GroupLimiter(options.maxGroups ?? 100);
    this.routes = new GroupLimiter(options.maxRoutes ?? 200);
  }

  onModuleInit(): void {
    const { cache } = this;
    this.off.push(
      cache.on('hit', (e) =>
        this.requests.inc({ layer: e.layer, result: e.stale ? 'stale' : 'hit', group: this.groups.label(e.group) }),
      ),
      cache.on('miss', (e) => this.requests.inc({ layer: 'none', result: 'miss', group: this.groups.label(e.group) })),
      cache.on('set', (e) => {
        const group = this.groups.label(e.group);
        this.sets.inc({ layer: e.layer, group });
        this.setBytes.inc({ group }, e.bytes);
      }),
      cache.on('operation', (e) => this.operations.observe({ layer: e.layer, operation: e.operation }, e.seconds)),
      cache.on('error', (e) => this.errors.inc({ layer: e.layer, operation: e.operation })),
      cache.on('delete', () => this.invalidations.inc({ kind: 'key', source: 'api' })),
      cache.on('invalidate', (e) => this.invalidations.inc({ kind: 'tag', source: e.source }, e.tags.length)),
      cache.on('pattern', (e) => this.invalidations.inc({ kind: 'pattern', source: e.source })),
      cache.on('clear', (e) => this.invalidations.inc({ kind: 'namespace', source: e.source })),
      cache.on('fill-refused', (e) => this.fillsRefused.inc({ group: this.groups.label(e.group) })),
      cache.on('bus', (e) => {
        this.busMessages.inc();
        if (e.lag !== undefined) this.busLag.observe(e.lag);
      }),
      cache.on('http:result', (e) => this.httpResults.inc({ route: this.routes.label(e.route), result: e.result })),
    );
    // Gauges read the engine when Prometheus scrapes; the last app instance in a process wins.
    // One snapshot serves all the gauges of a scrape.
    let snapshot: { at: number; value: ReturnType<CacheService['stats']> } | undefined;
    const stats = () => {
      if (!snapshot || Date.now() - snapshot.at > 100) snapshot = { at: Date.now(), value: this.cache.stats() };
      return snapshot.value;
    };
    onScrape(this.l1Entries, () => this.l1Entries.set(stats().l1?.entries ?? 0));
    onScrape(this.l1Bytes, () => this.l1Bytes.set(stats().l1?.bytes ?? 0));
    onScrape(this.l1MaxBytes, () => this.l1MaxBytes.set(stats().l1?.maxBytes ?? 0));
    followCount(this.l1Evictions, () => stats().l1?.evictions ?? 0);
    followCount(this.l2SoftTimeouts, () => stats().l2?.softTimeouts ?? 0);
    followCount(this.failSafe, () => stats().failSafe);
    onScrape(this.l2Up, () => this.l2Up.set(stats().l2 && !stats().l2!.failing ? 1 : 0));
    onScrape(this.l2Circuit, () => this.l2Circuit.set(stats().l2 && stats().l2!.circuit !== 'closed' ? 1 : 0));
    onScrape(this.busSubscribed, () => this.busSubscribed.set(stats().bus?.trusted ? 1 : 0));
  }

  onModuleDestroy(): void {
    for (const off of this.off.splice(0)) off();
  }
}

/** A counter that follows one of the engine's own running counts, advanced at each scrape. */
function followCount(counter: Counter, read: () => number): void {
  let seen = 0;
  onScrape(counter, () => {
    const now = read();
    if (now > seen) counter.inc(now - seen);
    seen = now;
  });
}
