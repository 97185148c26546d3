import { CacheError } from './cache.error.js';

/** An option passed to `CacheModule.forRoot()` is invalid. The message names the option and the fix. */
export class CacheConfigError extends CacheError {
  readonly code = 'E_CACHE_CONFIG';
}
