import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { PrometheusModule, type PrometheusOptions } from '@willsoto/nestjs-prometheus';
import { register } from 'prom-client';
import { CacheMetricsCollector } from './cache-metrics.collector.js';
import { metricProviders } from './cache-metrics.definitions.js';
import { CACHE_METRICS_OPTIONS, type CacheMetricsOptions } from './cache-metrics.options.js';
import { CdcMetrics, cdcMetricProviders } from './cdc.metrics.js';
import { WarmingMetrics, warmMetricProviders } from './warming.metrics.js';
import { WriteBehindMetrics, writeBehindMetricProviders } from './write-behind.metrics.js';

export interface CacheMetricsAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  useFactory: (...args: never[]) => CacheMetricsOptions | Promise<CacheMetricsOptions>;
  inject?: unknown[];
}

const prometheusOptions = (options: CacheMetricsOptions): PrometheusOptions => ({
  path: options.path ?? '/metrics',
  // Node's metrics are process-wide: a second app in one process (tests, restarts) reuses them.
  defaultMetrics: {
    enabled: (options.defaultMetrics ?? true) && !register.getSingleMetric('process_cpu_user_seconds_total'),
  },
});

/** Resolves the options once, for this module and for the Prometheus module it configures. */
@Module({})
class CacheMetricsOptionsModule {}

/**
 * `GET /metrics` in Prometheus text format: the cache's metrics (fed by its events, warming's,
 * write-behind's and CDC's included) and Node's.
 * `CacheMetricsModule.forRoot(options)` or `forRootAsync({ useFactory, inject })`. Needs
 * `CacheModule.forRoot({ isGlobal: true, ... })`.
 */
@Module({})
export class CacheMetricsModule {
  static forRoot(options: CacheMetricsOptions = {}): DynamicModule {
    return CacheMetricsModule.forRootAsync({ useFactory: () => options });
  }

  static forRootAsync(options: CacheMetricsAsyncOptions): DynamicModule {
    const optionsModule: DynamicModule = {
      module: CacheMetricsOptionsModule,
      imports: options.imports ?? [],
      providers: [
        { provide: CACHE_METRICS_OPTIONS, useFactory: options.useFactory, inject: (options.inject ?? []) as never[] },
      ],
      exports: [CACHE_METRICS_OPTIONS],
    };
    return {
      module: CacheMetricsModule,
      imports: [
        optionsModule,
        PrometheusModule.registerAsync({
          imports: [optionsModule],
          inject: [CACHE_METRICS_OPTIONS],
          useFactory: prometheusOptions,
        }),
      ],
      providers: [
        ...metricProviders,
        CacheMetricsCollector,
        // The features' metrics, fed by their events: empty while a feature is not imported.
        ...warmMetricProviders,
        WarmingMetrics,
        ...writeBehindMetricProviders,
        WriteBehindMetrics,
        ...cdcMetricProviders,
        CdcMetrics,
      ],
    };
  }
}
