import { CacheError } from './cache.error.js';

/** A loader ran longer than its timeout: its caller (and every caller waiting on it) gets this. */
export class CacheLoaderTimeoutError extends CacheError {
  readonly code = 'E_LOADER_TIMEOUT';
}
