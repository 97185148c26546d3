export type { CacheEventListener, CacheEventMap, CacheEventName, CacheLayer } from './cache-events.interface.js';
export { CacheEvents } from './cache-events.js';
export { defaultKeyGroup } from './key-group.js';
