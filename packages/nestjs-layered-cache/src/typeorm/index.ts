export { CacheInvalidationModule } from './cache-invalidation.module.js';
export { entityTagName, entityTags } from './entity-tags.js';
export type { CacheInvalidationOptions, EntityInvalidationRule } from './invalidation-options.interface.js';
