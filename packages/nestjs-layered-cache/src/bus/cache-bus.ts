import { randomBytes } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import { createSubscriber, type RedisClient } from '../redis/redis-client.factory.js';
import { BackgroundTask } from '../errors/background-task.js';
import { BusHeartbeat } from './bus-heartbeat.js';
import { decodeBusMessage, encodeBeat, encodeBusMessage, type BusMessage } from './bus-message.js';

export interface BusListener {
  /** A message from another instance. */
  onMessage(message: BusMessage): void;
  /** False when the subscription is lost (messages may be missed), true once it is back. */
  onTrust(trusted: boolean): void;
  /** A message on our channel that is not one of ours (malformed); it is ignored. */
  onMalformed(): void;
}

/**
 * Cross-instance L1 invalidation over Redis pub/sub. The channel is derived from the prefix
 * (pub/sub ignores the Redis DB number). Subscribing uses a second connection; resubscription after
 * a reconnect is ours (not ioredis's), so trust is restored only once the SUBSCRIBE is confirmed.
 */
export class CacheBus {
  readonly instanceId = randomBytes(8).toString('hex');
  private readonly subscriber: RedisClient;
  private readonly heartbeat: BusHeartbeat;
  private readonly subscribing: BackgroundTask;
  private trusted = false;
  private closed = false;
  disconnects = 0;

  constructor(
    publisher: RedisClient,
    private readonly channel: string,
    private readonly listener: BusListener,
    private readonly logger: Pick<Logger, 'warn' | 'log'>,
    /** How often the subscription is proven end to end, ms (0: never); see BusHeartbeat. */
    heartbeatEvery: number,
    /** Beats that may go unheard before L1 is bypassed: the staleness bound is their product. */
    missedBeats: number,
  ) {
    this.subscribing = new BackgroundTask('Cache bus subscription', logger);
    this.subscriber = createSubscriber(publisher, `${channel}:${this.instanceId}`);
    this.heartbeat = new BusHeartbeat(
      heartbeatEvery,
      missedBeats,
      (seq) => publisher.publish(channel, encodeBeat(this.instanceId, seq)),
      () => this.trusted,
      () => this.silenced(),
    );
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, raw: string) => this.receive(channel, raw));
    this.subscriber.on('ready', () => this.subscribing.run(() => this.subscribe()));
    this.subscriber.on('close', () => this.distrust());
  }

  /** Connects and subscribes; resolves once subscribed, or after `waitMs` if Redis is unreachable. */
  async start(waitMs: number): Promise<void> {
    const subscribed = new Promise<void>((resolve) => {
      const done = () => resolve();
      this.subscriber.once('cache-bus:subscribed', done);
      setTimeout(done, waitMs).unref();
    });
    this.subscriber.connect().catch(() => undefined);
    this.heartbeat.start();
    await subscribed;
  }

  /** Subscribed, and proven by a beat heard within the bound: L1 may serve. */
  get isTrusted(): boolean {
    return this.trusted && this.heartbeat.fresh(Date.now());
  }

  /** For L1 lookups: false once the newest proof is older than the bound (see BusHeartbeat). */
  fresh(now: number): boolean {
    return this.heartbeat.fresh(now);
  }

  /** The staleness bound of L1 while the bus is broken, ms (Infinity without a heartbeat). */
  get staleBound(): number {
    return this.heartbeat.bound;
  }

  /** Beats published but never heard back. */
  get missedBeats(): number {
    return this.heartbeat.missed;
  }

  /** The channel and wire form of a message, for Redis to publish together with the change. */
  envelope(message: BusMessage): { channel: string; message: string } {
    return { channel: this.channel, message: encodeBusMessage(this.instanceId, message) };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.heartbeat.stop();
    this.subscriber.disconnect();
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channel);
    } catch {
      return; // The connection dropped again; the next 'ready' retries.
    }
    if (this.trusted) return;
    this.heartbeat.reset();
    this.trusted = true;
    if (this.disconnects > 0) this.logger.log('Cache bus resubscribed; L1 is trusted again.');
    this.listener.onTrust(true);
    this.subscriber.emit('cache-bus:subscribed');
  }

  private distrust(): void {
    if (!this.trusted || this.closed) return;
    this.trusted = false;
    this.disconnects++;
    this.logger.warn('Cache bus disconnected: L1 is cleared and bypassed until it resubscribes.');
    this.listener.onTrust(false);
  }

  /** Our heartbeat did not come back: the connection may look open yet deliver nothing. */
  private silenced(): void {
    if (this.closed) return;
    this.logger.warn('Cache bus heartbeat not heard back: reconnecting the subscription.');
    this.distrust();
    this.subscriber.disconnect(true); // reconnects; 'ready' resubscribes and restores trust
  }

  private receive(channel: string, raw: string): void {
    if (channel !== this.channel) return;
    const decoded = decodeBusMessage(raw);
    if (decoded === undefined) return this.listener.onMalformed();
    if (decoded.beat !== undefined) {
      if (decoded.sender === this.instanceId) this.heartbeat.heard(decoded.beat);
      return;
    }
    if (decoded.sender === this.instanceId) return;
    this.listener.onMessage(decoded.message);
  }
}
