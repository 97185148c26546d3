export { CacheRoute } from './cache-route.decorator.js';
export { GlobalHttpCacheInterceptor, HttpCacheInterceptor } from './http-cache.interceptor.js';
export { HttpCacheContext } from './http-cache.context.js';
export type { HttpCacheResult, HttpResultEvent } from './http-cache.events.js';
export type { HttpCacheStats } from './http-cache.stats.js';
export type { CacheRouteOptions, CacheScope, HttpCacheModuleOptions, HttpRequestLike } from './http-cache.interface.js';
