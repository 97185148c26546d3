import { Module, type DynamicModule } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { CacheMetricsCollector } from './cache-metrics.collector.js';
import { metricProviders } from './cache-metrics.definitions.js';
import { CACHE_METRICS_OPTIONS, type CacheMetricsOptions } from './cache-metrics.options.js';

/**
 * `GET /metrics` in Prometheus text format: the cache's metrics (fed by its events) and Node's.
 * Needs `CacheModule.forRoot({ isGlobal: true, ... })`.
 */
@Module({})
export class CacheMetricsModule {
  static forRoot(options: CacheMetricsOptions = {}): DynamicModule {
    return {
      module: CacheMetricsModule,
      imports: [
        PrometheusModule.register({
          path: options.path ?? '/metrics',
          defaultMetrics: { enabled: options.defaultMetrics ?? true },
        }),
      ],
      providers: [{ provide: CACHE_METRICS_OPTIONS, useValue: options }, ...metricProviders, CacheMetricsCollector],
    };
  }
}
