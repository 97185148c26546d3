export interface CacheMetricsOptions {
  /** Where Prometheus scrapes. Default `/metrics`. */
  path?: string;
  /** Node.js process metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
  /** Key groups that get their own label value; later ones are counted as `_other`. Default 100. */
  maxGroups?: number;
  /** Routes that get their own label value. Default 200. */
  maxRoutes?: number;
}

export const CACHE_METRICS_OPTIONS = Symbol('CACHE_METRICS_OPTIONS');
