import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { HttpCacheInterceptor } from '../http/http-cache.interceptor.js';
import { CACHE_EVICT_METADATA } from './cache-decorators.constants.js';
import type { CacheEvictOptions } from './cache-decorators.interface.js';

/**
 * Deletes keys and invalidates tags once the async method has resolved (or before it runs, with
 * `beforeInvocation`). A method that throws evicts nothing (after-invocation mode).
 * On a service method, templates read the arguments: `@CacheEvict({ tags: ['product:{0}'] })`.
 * On a POST/PUT/PATCH/DELETE handler, they read the request, and eviction happens after a 2xx,
 * before the response is sent: `@CacheEvict({ tags: ['product:{params.id}', 'products'] })`.
 */
export const CacheEvict = (options: CacheEvictOptions): MethodDecorator =>
  applyDecorators(SetMetadata(CACHE_EVICT_METADATA, options), UseInterceptors(HttpCacheInterceptor));
