// The public API of the cache module. Applications import from here and nowhere else.
export { CacheModule } from './cache.module.js';
export { CacheService, type CacheStatsSnapshot } from './cache.service.js';
export { CacheView } from './cache-view.js';
export type {
  CacheModuleOptions,
  L1ModuleOptions,
  RedisModuleOptions,
  RedisNodeAddress,
} from './cache-options.interface.js';
export { createRedisClient, redisOptionsFromEnv, type RedisClient, type RedisTopology } from './redis/index.js';
export { isOutage } from './core/fail-safe.js';
export type { CacheSetOptions } from './core/cache-entry.js';
export type { Loader } from './core/cache-stack.js';
export {
  Cacheable,
  CacheEvict,
  CachePut,
  type CacheableOptions,
  type CacheEvictOptions,
  type CachePutOptions,
  type KeyTemplate,
  type TagsTemplate,
} from './decorators/index.js';
export * from './errors/index.js';
export { CacheAdminModule, CacheAdminGuard, type CacheAdminOptions, type Recommendation } from './admin/index.js';
export { CacheHealthIndicator } from './health/index.js';
export { CacheMetricsModule, METRICS, type CacheMetricsOptions } from './metrics/index.js';
export {
  CacheSessionModule,
  RedisSessionStore,
  RedisThrottlerStorage,
  SESSION_UNAVAILABLE,
  SessionService,
  generateSessionId,
  type CacheSessionOptions,
  type SessionRecord,
  type SessionSummary,
  type SessionUser,
} from './session/index.js';
export {
  CacheWriteBehind1763900000000,
  CacheWriteBehindModule,
  WriteBehindService,
  type RowChange,
  type WriteBehindCounts,
  type WriteBehindEntity,
  type WriteBehindOptions,
} from './write-behind/index.js';
export {
  CacheWarmer,
  CacheWarmingModule,
  CacheWarmingService,
  type CacheWarmerOptions,
  type CacheWarmingOptions,
  type HotKey,
  type WarmContext,
  type WarmerInfo,
} from './warming/index.js';
export {
  CacheRoute,
  GlobalHttpCacheInterceptor,
  HttpCacheInterceptor,
  type CacheRouteOptions,
  type CacheScope,
  type HttpCacheModuleOptions,
  type HttpCacheStats,
  type HttpRequestLike,
} from './http/index.js';
export * from './events/index.js';
export {
  entityTagName,
  entityTags,
  type CacheInvalidationOptions,
  type EntityInvalidationRule,
} from './typeorm/index.js';
export { CacheSerializer, V8Serializer } from './serialization/index.js';
