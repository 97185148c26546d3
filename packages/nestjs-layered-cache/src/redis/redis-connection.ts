import { Logger } from '@nestjs/common';
import { within } from '../core/within.js';
import type { ResolvedRedisOptions } from './redis-options.interface.js';
import { createRedisClient, isCluster, type RedisClient } from './redis-client.factory.js';

/**
 * The module's Redis client. Built for failing fast: no offline queue (a command while
 * disconnected fails at once and the cache falls back), a command timeout, and reconnection in the
 * background. A client the caller passed in is used as is and never closed by the module.
 */
export class RedisConnection {
  private readonly logger = new Logger('CacheModule');
  readonly client: RedisClient;
  private readonly owned: boolean;
  /** Bound on waiting for a connection at boot, ms. */
  readonly connectTimeout: number;
  /** True on Redis Cluster: keys that scripts use together must share a hash slot. */
  readonly cluster: boolean;

  constructor(private readonly options: ResolvedRedisOptions) {
    this.connectTimeout = options.connectTimeout;
    this.owned = options.client === undefined;
    this.client = options.client ?? createRedisClient(options, 'cache');
    this.cluster = isCluster(this.client);
    // Without a listener ioredis prints every connection error; the stack counts them instead.
    this.client.on('error', this.ignoreError);
  }

  /**
   * The prefix of every key: on a cluster it is a hash tag (`{prefix}`), so an entry, its tag
   * versions, its lock, sessions and queues all live in one slot and no script crosses slots.
   */
  keyPrefix(prefix: string): string {
    return this.cluster ? `{${prefix}}` : prefix;
  }

  /** A new client to the same Redis for BullMQ (blocking commands, no timeouts); the caller closes it. */
  createQueueClient(): RedisClient {
    return createRedisClient(this.options, 'queue');
  }

  /**
   * Connects if we own the client; on failure the app still boots and the cache fails open. Bounded
   * by `connectTimeout`: ioredis's own promise waits for its ready check, which a Redis that accepts
   * connections and never answers (stopped, starved of CPU) holds up to the command timeout, and a
   * Cluster's may never settle (redis/ioredis#633). The client goes on connecting in the background.
   */
  async connect(): Promise<void> {
    if (!this.owned || this.client.status !== 'wait') return;
    const connecting = this.client.connect().then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    const outcome = await within(connecting, this.connectTimeout);
    if (outcome === 'timeout') {
      this.logger.warn(`Redis did not answer within ${this.connectTimeout} ms; caching in process only until it does.`);
    } else if (outcome instanceof Error) {
      this.logger.warn(`Redis is not reachable (${outcome.message}); caching in process only until it is.`);
    }
  }

  private readonly ignoreError = (): void => undefined;

  /** Closes a client we own: QUIT, or a plain disconnect if Redis does not answer within `connectTimeout`. */
  async close(): Promise<void> {
    this.client.off('error', this.ignoreError);
    if (!this.owned || this.client.status === 'end') return;
    const quitting = this.client.quit().then(
      () => 'quit' as const,
      () => 'failed' as const,
    );
    if ((await within(quitting, this.connectTimeout)) !== 'quit') this.client.disconnect();
  }
}
