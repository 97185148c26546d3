import type { Node } from './access-deque.js';
import type { FrequencySketch } from './frequency-sketch.js';
import { residentFrequency } from './resident-count.js';

/**
 * A candidate at least this popular that does not beat the victim still gets in 1 time in 128.
 * Without it an attacker could keep a victim's counters high (hash flooding) and lock every
 * newcomer out; honest workloads lose nothing measurable.
 */
const HASH_FLOOD_THRESHOLD = 6;
/**
 * Ties between rarely seen keys (this often or less) go to the newcomer: it was just asked for,
 * the incumbent may not have been for a long time. Above it ties go to the incumbent, so a scan
 * or a loop of equally popular keys cannot churn the main space.
 */
const NEWCOMER_TIE_MAX = 2;

/**
 * Who wins a contest for a place in TinyLFU's main space: Caffeine's admission rule, the more
 * frequent key wins, with two corrections for popularity that moved on. A victim idle for longer
 * than its count explains (seen f times per sample period, yet not for a whole period / f
 * lookups) counts as never seen: its count is history the sketch has not aged out yet. Ties
 * between rarely seen keys go to the newcomer.
 */
export class Admission {
  /** xorshift32 state: a cheap coin, seeded per store. */
  private random: number;

  constructor(
    private readonly sketch: FrequencySketch,
    seed: number,
  ) {
    this.random = (seed ^ 0x5bd1e995) >>> 0 || 1;
  }

  /** True when `candidate` should displace `victim`; `now` is the store's lookup count. */
  admits(candidate: Node<unknown>, victim: Node<unknown>, now: number): boolean {
    const candidateFrequency = residentFrequency(candidate, this.sketch);
    let victimFrequency = residentFrequency(victim, this.sketch);
    if ((now - victim.touched) * victimFrequency > this.sketch.sampleSize) victimFrequency = 0;
    if (candidateFrequency > victimFrequency) return true;
    if (candidateFrequency === victimFrequency && candidateFrequency <= NEWCOMER_TIE_MAX) return true;
    if (candidateFrequency < HASH_FLOOD_THRESHOLD) return false;
    return (this.nextRandom() & 127) === 0;
  }

  private nextRandom(): number {
    let x = this.random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.random = x >>> 0;
    return this.random;
  }
}
