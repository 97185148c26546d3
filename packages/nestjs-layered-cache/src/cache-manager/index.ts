export { CacheManagerModule } from './cache-manager.module.js';
export { KeyvCacheStore } from './keyv-cache.store.js';
