import type { Counter, Gauge } from 'prom-client';

/** prom-client calls (and awaits) a metric's `collect` before each scrape (it is copied from the options). */
export function onScrape(metric: Gauge | Counter, collect: () => void | Promise<void>): void {
  (metric as unknown as { collect?: () => void | Promise<void> }).collect = collect;
}
