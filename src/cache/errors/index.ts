export { BackgroundTask } from './background-task.js';
export { CacheError } from './cache.error.js';
export { CacheConfigError } from './cache-config.error.js';
export { CacheKeyError } from './cache-key.error.js';
export { CacheSerializationError } from './cache-serialization.error.js';
export { CacheLoaderTimeoutError } from './cache-loader-timeout.error.js';
