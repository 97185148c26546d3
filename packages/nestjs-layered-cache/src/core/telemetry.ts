import type { BusMessage } from '../bus/bus-message.js';
import type { CacheEvents } from '../events/cache-events.js';
import type { CacheLayer } from '../events/cache-events.interface.js';
import type { Logger } from '@nestjs/common';
import type { CacheStats } from './cache-stats.js';
import type { OperationTimer } from './remote-tier.js';

/** Counts what the engine does and emits the matching typed events (with key groups, never keys). */
export class Telemetry {
  private warnedOversized = false;

  constructor(
    readonly stats: CacheStats,
    readonly events: CacheEvents,
    private readonly keyGroup: (key: string) => string,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  /** A value too big to cache: counted every time, logged once. */
  oversized(key: string, bytes: number, limit: number): void {
    this.stats.oversized++;
    if (this.warnedOversized) return;
    this.warnedOversized = true;
    this.logger?.warn(
      `A value of ${bytes} bytes (group "${this.keyGroup(key)}") is larger than maxValueBytes (${limit}): not cached. Further ones are counted in stats().oversized, not logged.`,
    );
  }

  hit(layer: CacheLayer, key: string, stale: boolean): void {
    if (stale) this.stats.staleHits++;
    else if (layer === 'l1') this.stats.l1Hits++;
    else this.stats.l2Hits++;
    if (this.events.has('hit')) this.events.emit('hit', { layer, group: this.keyGroup(key), stale });
  }

  miss(key: string): void {
    this.stats.misses++;
    if (this.events.has('miss')) this.events.emit('miss', { group: this.keyGroup(key) });
  }

  set(layer: CacheLayer, key: string, bytes: number): void {
    this.stats.sets++;
    if (this.events.has('set')) this.events.emit('set', { layer, group: this.keyGroup(key), bytes });
  }

  delete(key: string): void {
    this.stats.deletes++;
    if (this.events.has('delete')) this.events.emit('delete', { group: this.keyGroup(key) });
  }

  /** Only measured when someone listens (metrics): timing costs a clock read per operation. */
  get timing(): boolean {
    return this.events.has('operation');
  }

  operation(layer: 'l2' | 'loader', operation: string, seconds: number): void {
    this.events.emit('operation', { layer, operation, seconds });
  }

  /** What RemoteTier reports its Redis operations' durations to (timed only while listened to). */
  get l2Timer(): OperationTimer {
    const timing = () => this.timing;
    return {
      get enabled() {
        return timing();
      },
      record: (operation, seconds) => this.operation('l2', operation, seconds),
    };
  }

  fillRefused(key: string): void {
    this.stats.fillsRefused++;
    if (this.events.has('fill-refused')) this.events.emit('fill-refused', { group: this.keyGroup(key) });
  }

  busReceived(message: BusMessage): void {
    this.stats.busReceived++;
    if (!this.events.has('bus')) return;
    // Across hosts this includes clock skew; on one host it is the true propagation delay.
    const lag = message.sentAt === undefined ? undefined : Math.max(0, Date.now() - message.sentAt) / 1000;
    this.events.emit('bus', { deps: message.deps ?? [], keys: message.keys?.length ?? 0, lag });
  }
}
