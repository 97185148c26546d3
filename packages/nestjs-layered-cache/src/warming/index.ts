export { CacheWarmer } from './cache-warmer.decorator.js';
export { CacheWarmingModule } from './cache-warming.module.js';
export { CacheWarmingService, type WarmerInfo } from './cache-warming.service.js';
export type { HotKey } from './access-tracker.js';
export type { CacheWarmerOptions, CacheWarmingOptions, WarmContext } from './warming.interface.js';
export type { WarmRun } from './warming.events.js';
