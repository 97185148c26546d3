export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Failures within `window` that open the circuit. */
  threshold: number;
  /** ms. */
  window: number;
  /** How long it stays open before one probe is let through, ms. */
  cooldown: number;
}

/**
 * Stops paying Redis timeouts once Redis is clearly failing: `threshold` failures within `window`
 * open the circuit (operations are skipped at once, failing open); after `cooldown` one probe is
 * let through (half-open); its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  state: CircuitState = 'closed';
  /** Times the circuit opened. */
  opens = 0;
  private failures: number[] = [];
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether an operation may go to Redis now. */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.now() - this.openedAt < this.options.cooldown) return false;
      this.state = 'half-open';
      this.probing = false;
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    if (this.state === 'closed' && this.failures.length === 0) return;
    this.state = 'closed';
    this.failures = [];
    this.probing = false;
  }

  failure(): void {
    if (this.state === 'half-open') return this.open();
    const now = this.now();
    this.failures = this.failures.filter((at) => now - at < this.options.window);
    this.failures.push(now);
    if (this.failures.length >= this.options.threshold) this.open();
  }

  /** Redis said it is ready again: try it. */
  reset(): void {
    this.state = 'closed';
    this.failures = [];
    this.probing = false;
  }

  private open(): void {
    this.state = 'open';
    this.openedAt = this.now();
    this.probing = false;
    this.failures = [];
    this.opens++;
  }
}
