import { SetMetadata } from '@nestjs/common';
import { CACHE_PUT_METADATA } from './cache-decorators.constants.js';
import type { CachePutOptions } from './cache-decorators.interface.js';

/** Runs the async method every time and stores its result under `key` (write-through). */
export const CachePut = (options: CachePutOptions): MethodDecorator => SetMetadata(CACHE_PUT_METADATA, options);
