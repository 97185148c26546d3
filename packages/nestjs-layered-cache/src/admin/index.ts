export { CacheAdminModule } from './cache-admin.module.js';
export { CacheAdminGuard } from '../access/cache-admin.guard.js';
export { CacheAdminService } from './cache-admin.service.js';
export type { CacheAdminOptions } from '../access/cache-admin.options.js';
export type { Recommendation } from './recommendations.js';
