// The core entry point, `nestjs-layered-cache`: the engine, the module, views, decorators, HTTP
// caching, errors, events and the serializer. It loads no optional peer: each integration has its
// own entry point (`nestjs-layered-cache/typeorm`, `/warming`, `/write-behind`, `/session`, `/admin`,
// `/metrics`, `/health`, `/cache-manager`, `/testing`).
export { CacheModule } from './cache.module.js';
export type { CacheModuleAsyncOptions, CacheOptionsFactory } from './cache.module-definition.js';
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
export { entityTagName, entityTags } from './tags/entity-tags.js';
export { CacheSerializer, V8Serializer } from './serialization/index.js';
