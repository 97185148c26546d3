import { Logger, type Provider } from '@nestjs/common';
import { CacheBus } from './bus/index.js';
import { CACHE_MODULE_OPTIONS } from './cache.module-definition.js';
import {
  CACHE_BUS,
  CACHE_L2_INSPECTOR,
  CACHE_OPTIONS,
  CACHE_PREFIX,
  CACHE_REDIS,
  CACHE_ROOT_NAMESPACE,
  CACHE_STACK,
} from './cache.internal-constants.js';
import { CacheStack } from './core/cache-stack.js';
import { NamespacePath } from './core/namespace-path.js';
import { HttpCacheContext } from './http/http-cache.context.js';
import { L1Cache } from './l1/l1-cache.js';
import { L2Cache } from './l2/l2-cache.js';
import { L2Inspector } from './l2/l2-inspector.js';
import { resolveCacheOptions, type ResolvedCacheOptions } from './options/cache-options.resolve.js';
import { RedisConnection } from './redis/redis-connection.js';
import { PayloadCodec } from './serialization/payload.codec.js';

/**
 * CacheModule's wiring: the raw options feed only CACHE_OPTIONS (resolveCacheOptions: validated,
 * defaults applied); every other provider reads the resolved options.
 */
export const cacheProviders: Provider[] = [
  { provide: CACHE_OPTIONS, inject: [CACHE_MODULE_OPTIONS], useFactory: resolveCacheOptions },
  {
    provide: CACHE_REDIS,
    inject: [CACHE_OPTIONS],
    useFactory: ({ redis }: ResolvedCacheOptions) => (redis ? new RedisConnection(redis) : null),
  },
  {
    // First segment of every key and channel; a hash tag on a cluster (RedisConnection.keyPrefix).
    provide: CACHE_PREFIX,
    inject: [CACHE_OPTIONS, CACHE_REDIS],
    useFactory: ({ prefix }: ResolvedCacheOptions, redis: RedisConnection | null) =>
      redis ? redis.keyPrefix(prefix) : prefix,
  },
  {
    provide: CACHE_ROOT_NAMESPACE,
    inject: [CACHE_OPTIONS, CACHE_PREFIX],
    useFactory: ({ namespace }: ResolvedCacheOptions, prefix: string) => NamespacePath.root(prefix, namespace),
  },
  {
    provide: CACHE_STACK,
    inject: [CACHE_OPTIONS, CACHE_REDIS, CACHE_PREFIX],
    useFactory: (options: ResolvedCacheOptions, redis: RedisConnection | null, prefix: string) =>
      new CacheStack(
        options.stack,
        new PayloadCodec(options.serializer, options.compressAbove),
        options.l1 ? new L1Cache(options.l1) : undefined,
        redis ? new L2Cache(redis.client, prefix, options.fillWindow) : undefined,
        new Logger('CacheModule'),
      ),
  },
  {
    provide: CACHE_BUS,
    inject: [CACHE_OPTIONS, CACHE_REDIS, CACHE_STACK, CACHE_PREFIX],
    useFactory: ({ bus }: ResolvedCacheOptions, redis: RedisConnection | null, stack: CacheStack, prefix: string) => {
      if (!bus || !redis) return null;
      const logger = new Logger('CacheModule');
      const cacheBus = new CacheBus(
        redis.client,
        `${prefix}:~bus`,
        stack.busListener,
        logger,
        bus.heartbeat,
        bus.missedBeats,
      );
      stack.attachBus(cacheBus);
      return cacheBus;
    },
  },
  {
    provide: CACHE_L2_INSPECTOR,
    inject: [CACHE_REDIS, CACHE_PREFIX],
    useFactory: (redis: RedisConnection | null, prefix: string) =>
      redis ? new L2Inspector(redis.client, prefix) : null,
  },
  {
    provide: HttpCacheContext,
    inject: [CACHE_OPTIONS],
    useFactory: ({ http }: ResolvedCacheOptions) => new HttpCacheContext(http),
  },
];
