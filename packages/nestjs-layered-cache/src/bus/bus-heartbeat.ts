/**
 * Proves the subscription end to end: every `every` ms the instance publishes a numbered beat on
 * its own channel and expects to hear it back over its subscription before the next one. A beat
 * that did not come back means messages may be missed (a half-open connection, a stalled Redis)
 * though the socket never closed, so the bus must stop trusting L1.
 */
export class BusHeartbeat {
  private sent = 0;
  private seen = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly every: number,
    /** Publishes beat `seq`; a rejection means it was not sent (nothing to wait for). */
    private readonly send: (seq: number) => Promise<unknown>,
    /** True while the subscription is trusted: only then is silence a fault. */
    private readonly trusted: () => boolean,
    private readonly onSilence: () => void,
  ) {}

  start(): void {
    if (this.every <= 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Our own beat `seq` came back over the subscription. */
  heard(seq: number): void {
    if (seq > this.seen) this.seen = seq;
  }

  /** The subscription was (re)established: beats sent before it prove nothing either way. */
  reset(): void {
    this.seen = this.sent;
  }

  private tick(): void {
    if (!this.trusted()) return;
    if (this.sent > this.seen) {
      this.reset();
      this.onSilence();
      return;
    }
    const seq = ++this.sent;
    this.send(seq).catch(() => this.heard(seq)); // not published (Redis unreachable): not a silence
  }
}
