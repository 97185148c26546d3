export { CacheWriteBehindModule } from './cache-write-behind.module.js';
export { WriteBehindService, type WriteBehindCounts } from './write-behind.service.js';
export { CacheWriteBehind1763900000000 } from './write-behind.migration.js';
export type { RowChange, WriteBehindEntity, WriteBehindOptions } from './write-behind.interface.js';
