import type { BusListener, BusMessage, CacheBus } from '../bus/index.js';
import type { Notify } from '../l2/l2-cache.js';
import type { LocalTier } from './local-tier.js';
import type { Telemetry } from './telemetry.js';

export interface BusState {
  trusted: boolean;
  received: number;
  malformed: number;
  disconnects: number;
  /** L1 is bypassed once the bus has not proven itself for this long, ms (null: no heartbeat). */
  staleBoundMs: number | null;
  /** Heartbeats published but never heard back. */
  missedBeats: number;
}

/**
 * The stack's side of the bus: publishes this instance's changes and applies the others'. Until
 * the bus is subscribed, and whenever it loses its subscription, L1 is emptied and bypassed: a
 * missed message must never leave it stale.
 */
export class BusLink {
  private bus: CacheBus | undefined;

  constructor(
    private readonly local: LocalTier,
    private readonly telemetry: Telemetry,
  ) {}

  attach(bus: CacheBus): void {
    this.bus = bus;
    this.local.trust(bus.isTrusted);
    this.local.proven = (now) => bus.fresh(now);
  }

  readonly listener: BusListener = {
    onMessage: (message) => {
      this.local.invalidate(message);
      this.telemetry.busReceived(message);
    },
    onTrust: (trusted) => this.local.trust(trusted),
    onMalformed: () => this.telemetry.stats.busMalformed++,
  };

  /**
   * What Redis publishes together with a change (in the same script or pipeline), so the others
   * hear of every change that happened and of none that did not; undefined without a bus.
   */
  notify(message: BusMessage): Notify | undefined {
    return this.bus?.envelope(message);
  }

  state(): BusState | null {
    if (this.bus === undefined) return null;
    const { busReceived: received, busMalformed: malformed } = this.telemetry.stats;
    const bound = this.bus.staleBound;
    return {
      trusted: this.bus.isTrusted,
      received,
      malformed,
      disconnects: this.bus.disconnects,
      staleBoundMs: Number.isFinite(bound) ? bound : null,
      missedBeats: this.bus.missedBeats,
    };
  }
}
