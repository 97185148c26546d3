export { CacheInvalidationModule } from './cache-invalidation.module.js';
export type { CacheInvalidationOptions, EntityInvalidationRule } from './invalidation-options.interface.js';
