import { Module, type DynamicModule } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { register } from 'prom-client';
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
          // Node's metrics are process-wide: a second app in one process (tests, restarts) reuses them.
          defaultMetrics: {
            enabled: (options.defaultMetrics ?? true) && !register.getSingleMetric('process_cpu_user_seconds_total'),
          },
        }),
      ],
      providers: [{ provide: CACHE_METRICS_OPTIONS, useValue: options }, ...metricProviders, CacheMetricsCollector],
    };
  }
}
