export { CacheTestingModule, createTestingCache, type CacheTestingOptions } from './cache-testing.module.js';
