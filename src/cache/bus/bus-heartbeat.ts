/**
 * Proves the subscription end to end: every `every` ms the instance publishes a numbered beat on
 * its own channel. Only a beat its subscriber actually receives is a proof; a publish that failed
 * or timed out is a missed beat, whatever the publisher believed.
 *
 * Redis delivers pub/sub messages in the order it executes the PUBLISHes, so hearing a beat sent
 * at time T means every invalidation Redis executed before T has reached us. L1 is therefore
 * known fresh up to the send time of the newest beat heard, and is usable only while that proof
 * is at most `every × missedBeats` ms old: the bound on L1 staleness while the bus is broken.
 */
export class BusHeartbeat {
  private sent = 0;
  /** Send time of each beat not heard yet (a few at most: past the bound, sending stops). */
  private readonly pending = new Map<number, number>();
  /** Send time of the newest beat heard back (or of the subscription's confirmation). */
  private provenAt = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Beats published but never heard back (failed, timed out, or lost). */
  missed = 0;

  constructor(
    private readonly every: number,
    private readonly missedBeats: number,
    /** Publishes beat `seq`; the outcome does not matter, only hearing it back does. */
    private readonly send: (seq: number) => Promise<unknown>,
    /** True while the subscription is trusted: only then is silence a fault. */
    private readonly trusted: () => boolean,
    private readonly onSilence: () => void,
  ) {}

  /** How long L1 may go unproven before it is bypassed, ms (Infinity without a heartbeat). */
  get bound(): number {
    return this.every > 0 ? this.every * this.missedBeats : Infinity;
  }

  start(): void {
    if (this.every <= 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** True while the newest proof is within the bound. */
  fresh(now: number): boolean {
    return this.every <= 0 || now - this.provenAt <= this.bound;
  }

  /** Our own beat `seq` came back over the subscription. */
  heard(seq: number): void {
    const sentAt = this.pending.get(seq);
    if (sentAt === undefined) return;
    for (const [s] of this.pending) {
      if (s > seq) break;
      if (s < seq) this.missed++;
      this.pending.delete(s);
    }
    if (sentAt > this.provenAt) this.provenAt = sentAt;
  }

  /** The subscription was (re)confirmed just now: what Redis publishes from here on reaches us. */
  reset(now = Date.now()): void {
    this.missed += this.pending.size;
    this.pending.clear();
    this.provenAt = now;
  }

  private tick(): void {
    if (!this.trusted()) return;
    const now = Date.now();
    if (!this.fresh(now)) {
      this.reset(now);
      this.onSilence();
      return;
    }
    const seq = ++this.sent;
    this.pending.set(seq, now);
    // A failed publish proves nothing; its beat simply never comes back.
    this.send(seq).catch(() => undefined);
  }
}
