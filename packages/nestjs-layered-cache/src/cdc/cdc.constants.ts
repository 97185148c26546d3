export const CDC_OPTIONS = Symbol('CDC_INVALIDATION_OPTIONS');
export const DEFAULT_SLOT = 'nlc_cache_invalidation';
