export { CacheManagerModule } from './cache-manager.module.js';
export type { CacheManagerOptions } from './cache-manager.provider.js';
export { KeyvCacheStore } from './keyv-cache.store.js';
