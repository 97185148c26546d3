export { CacheMetricsModule } from './cache-metrics.module.js';
export { METRICS } from './cache-metrics.definitions.js';
export type { CacheMetricsOptions } from './cache-metrics.options.js';
