import { SetMetadata } from '@nestjs/common';
import { CACHEABLE_METADATA } from './cache-decorators.constants.js';
import type { CacheableOptions } from './cache-decorators.interface.js';

/**
 * Caches an async method's result through `CacheService.getOrSet` (single-flight, lock, tags).
 * Applies to methods of Nest providers; the method must return a Promise.
 * `@Cacheable({ key: 'product:{0}', ttl: 600_000, tags: ['product:{0}'] })`
 */
export const Cacheable = (options: CacheableOptions): MethodDecorator => SetMetadata(CACHEABLE_METADATA, options);
