import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface.js';
import { CACHE_PREFIX, CACHE_REDIS } from '../cache.internal-constants.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import type { RedisConnection } from '../redis/redis-connection.js';

/** Counts a hit and reports the window; blocks for `blockDuration` once over `limit`. KEYS[1]: the counter. ARGV: ttl, limit, block. */
const INCREMENT = `
local key, ttl, limit, block = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local blocked = redis.call('PTTL', key .. ':blocked')
if blocked > 0 then return { tonumber(redis.call('GET', key) or '0'), redis.call('PTTL', key), 1, blocked } end
local hits = redis.call('INCR', key)
if hits == 1 then redis.call('PEXPIRE', key, ttl) end
local left = redis.call('PTTL', key)
if hits > limit then
  redis.call('SET', key .. ':blocked', '1', 'PX', block)
  return { hits, left, 1, block }
end
return { hits, left, 0, 0 }
`;

/** `@nestjs/throttler` storage on the cache module's Redis: limits hold across instances and restarts. */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: RedisConnection['client'] & {
    throttleIncrement(...args: (string | number)[]): Promise<number[]>;
  };

  constructor(
    @Inject(CACHE_REDIS) connection: RedisConnection | null,
    @Inject(CACHE_PREFIX) private readonly prefix: string,
  ) {
    if (!connection) throw new CacheConfigError('RedisThrottlerStorage needs the cache module to have Redis');
    const client = connection.client;
    if (!('throttleIncrement' in client))
      client.defineCommand('throttleIncrement', { numberOfKeys: 1, lua: INCREMENT });
    this.redis = client as typeof this.redis;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const [totalHits, left, blocked, blockLeft] = await this.redis.throttleIncrement(
      `${this.prefix}:~throttle:${throttlerName}:${key}`,
      ttl,
      limit,
      blockDuration > 0 ? blockDuration : ttl,
    );
    // The throttler expects seconds.
    return {
      totalHits: Number(totalHits),
      timeToExpire: Math.ceil(Math.max(0, Number(left)) / 1000),
      isBlocked: Number(blocked) === 1,
      timeToBlockExpire: Math.ceil(Math.max(0, Number(blockLeft)) / 1000),
    };
  }
}
