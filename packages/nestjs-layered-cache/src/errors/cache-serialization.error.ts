import { CacheError } from './cache.error.js';

/** A value could not be serialized for the cache. The message names the key. */
export class CacheSerializationError extends CacheError {
  readonly code = 'E_CACHE_SERIALIZATION';

  constructor(
    readonly key: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Cannot cache the value of key "${key}": ${reason}. ` +
        'Cache plain data (objects, arrays, strings, numbers, Date, BigInt, Map, Set, Buffer); ' +
        'functions, symbols, class instances with private state and streams cannot be stored.',
      { cause },
    );
  }
}
