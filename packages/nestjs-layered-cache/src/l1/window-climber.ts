/** First step: 6.25 % of the capacity moves between window and main. */
const STEP = 0.0625;
/** A hit-rate swing this large means the workload changed: restart with a full step. */
const RESTART_THRESHOLD = 0.05;
/** Otherwise each step is a little smaller than the last, so the window settles. */
const STEP_DECAY = 0.98;

/**
 * Hill climbing on the admission window's share of the capacity (Caffeine's adaptive W-TinyLFU):
 * after each sample of lookups, keep moving the window size in the direction that raised the hit
 * rate, reverse when it fell. Recency-heavy workloads grow the window (toward LRU); frequency-heavy
 * ones shrink it (toward pure TinyLFU).
 */
export class WindowClimber {
  private previousRate = 0;
  /** Signed: the next change of the window share. Starts by shrinking, as Caffeine does. */
  private step = -STEP;

  /** Lookups per sample: the store calls `adjust` after each such run of lookups. */
  constructor(readonly sampleSize: number) {}

  /** Takes a finished sample's hits (of `sampleSize` lookups); returns the change of the window share. */
  adjust(hits: number): number {
    const rate = hits / this.sampleSize;
    const change = rate - this.previousRate;
    const amount = change >= 0 ? this.step : -this.step;
    this.step = Math.abs(change) >= RESTART_THRESHOLD ? (amount >= 0 ? STEP : -STEP) : STEP_DECAY * amount;
    this.previousRate = rate;
    return amount;
  }
}
