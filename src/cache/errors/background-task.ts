import type { Logger } from '@nestjs/common';

/**
 * Errors of work nobody awaits (timers, intervals, event handlers, fire-and-forget calls). Such a
 * rejection left alone is an `unhandledRejection`, which ends the process: here it is counted
 * (`count`, e.g. into `cache_errors_total`), logged once per outage and logged again on recovery,
 * so a Redis stall costs one line, not one per tick.
 */
export class BackgroundTask {
  failures = 0;
  private failing = false;

  constructor(
    /** What is running, as the log lines name it (e.g. "Write-behind flush"). */
    private readonly what: string,
    private readonly logger: Pick<Logger, 'warn' | 'log'>,
    private readonly count: (error: Error) => void = () => undefined,
  ) {}

  /** Starts `work` without waiting for it; it can never reject into the process. */
  run(work: () => Promise<unknown>): void {
    let started: Promise<unknown>;
    try {
      started = work();
    } catch (error) {
      this.failed(error);
      return;
    }
    started.then(
      () => this.succeeded(),
      (error: unknown) => this.failed(error),
    );
  }

  failed(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.failures++;
    try {
      this.count(err);
    } catch {
      // A broken metrics listener must not turn a handled error into an unhandled one.
    }
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(`${this.what} failed (${err.message}); retrying. Further errors are counted, not logged.`);
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log(`${this.what} recovered.`);
  }
}
