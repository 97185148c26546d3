import { SetMetadata } from '@nestjs/common';
import { CACHE_EVICT_METADATA } from './cache-decorators.constants.js';
import type { CacheEvictOptions } from './cache-decorators.interface.js';

/**
 * Deletes keys and invalidates tags once the async method has resolved (or before it runs, with
 * `beforeInvocation`). A method that throws evicts nothing (after-invocation mode).
 * `@CacheEvict({ keys: ['product:{0}'], tags: ['products'] })`
 */
export const CacheEvict = (options: CacheEvictOptions): MethodDecorator => SetMetadata(CACHE_EVICT_METADATA, options);
