export { CacheWriteBehindModule } from './cache-write-behind.module.js';
export { WriteBehindService } from './write-behind.service.js';
export type { WriteBehindBatchEvent, WriteBehindCounts } from './write-behind.events.js';
export { CacheWriteBehind1763900000000 } from './write-behind.migration.js';
export type { RowChange, WriteBehindEntity, WriteBehindOptions } from './write-behind.interface.js';
