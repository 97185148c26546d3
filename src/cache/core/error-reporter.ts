import type { Logger } from '@nestjs/common';
import type { CacheEvents } from '../events/cache-events.js';
import type { CacheLayer } from '../events/cache-events.interface.js';

/**
 * Fail-open bookkeeping: every error is counted and emitted, but only the first of a burst is
 * logged; the burst ends at the next successful operation, which is logged as a recovery.
 */
export class ErrorReporter {
  private failing = new Set<CacheLayer>();
  errors = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn' | 'log'>,
    private readonly events: CacheEvents,
  ) {}

  report(layer: CacheLayer, operation: string, error: unknown): void {
    const err = this.count(layer, operation, error);
    if (this.failing.has(layer)) return;
    this.failing.add(layer);
    this.logger.warn(
      `Cache ${layer.toUpperCase()} ${operation} failed (${err.message}); serving without ${layer.toUpperCase()} until it recovers. Further errors are counted, not logged.`,
    );
  }

  /** Counts and emits (`cache_errors_total`) without logging: for callers that log on their own. */
  count(layer: CacheLayer, operation: string, error: unknown): Error {
    const err = error instanceof Error ? error : new Error(String(error));
    this.errors++;
    this.events.emit('error', { layer, operation, error: err });
    return err;
  }

  /** True between a failure of `layer` and its next success. */
  isFailing(layer: CacheLayer): boolean {
    return this.failing.has(layer);
  }

  recovered(layer: CacheLayer): void {
    if (!this.failing.delete(layer)) return;
    this.logger.log(`Cache ${layer.toUpperCase()} recovered.`);
  }
}
