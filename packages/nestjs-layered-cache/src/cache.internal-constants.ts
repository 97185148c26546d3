/** Provider tokens used inside the module only; the barrel does not export them. */
export const CACHE_STACK = Symbol('CACHE_STACK');
export const CACHE_REDIS = Symbol('CACHE_REDIS');
export const CACHE_ROOT_NAMESPACE = Symbol('CACHE_ROOT_NAMESPACE');
export const CACHE_BUS = Symbol('CACHE_BUS');
export const CACHE_L2_INSPECTOR = Symbol('CACHE_L2_INSPECTOR');
export const CACHE_PREFIX = Symbol('CACHE_PREFIX');
/** The resolved options (resolveCacheOptions): what every provider reads; the raw options feed only it. */
export const CACHE_OPTIONS = Symbol('CACHE_OPTIONS');
