import { CacheError } from './cache.error.js';

/** A key, tag or namespace name is not usable (empty, too long, or has a reserved character). */
export class CacheKeyError extends CacheError {
  readonly code = 'E_CACHE_KEY';
}
