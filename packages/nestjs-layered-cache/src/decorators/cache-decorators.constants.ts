export const CACHEABLE_METADATA = 'cache:cacheable';
export const CACHE_EVICT_METADATA = 'cache:evict';
export const CACHE_PUT_METADATA = 'cache:put';
