export { CacheHealthIndicator } from './cache.health.js';
