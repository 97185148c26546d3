import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { RedisModuleOptions } from '../cache-options.interface.js';

/**
 * The module's Redis client. Built for failing fast: no offline queue (a command while
 * disconnected fails at once and the cache falls back), a command timeout, and reconnection in the
 * background. A client the caller passed in is used as is and never closed by the module.
 */
export class RedisConnection {
  private readonly logger = new Logger('CacheModule');
  readonly client: Redis;
  private readonly owned: boolean;
  /** Bound on waiting for a connection at boot, ms. */
  readonly connectTimeout: number;

  constructor(options: RedisModuleOptions) {
    this.connectTimeout = options.connectTimeout ?? 2000;
    this.owned = options.client === undefined;
    this.client =
      options.client ??
      new Redis(options.url!, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: options.commandTimeout ?? 1000,
        connectTimeout: this.connectTimeout,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      });
    // Without a listener ioredis prints every connection error; the stack counts them instead.
    this.client.on('error', this.ignoreError);
  }

  /** Connects if we own the client; on failure the app still boots and the cache fails open. */
  async connect(): Promise<void> {
    if (!this.owned || this.client.status !== 'wait') return;
    try {
      await this.client.connect();
    } catch (error) {
      this.logger.warn(`Redis is not reachable (${(error as Error).message}); caching in process only until it is.`);
    }
  }

  private readonly ignoreError = (): void => undefined;

  async close(): Promise<void> {
    this.client.off('error', this.ignoreError);
    if (!this.owned || this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
