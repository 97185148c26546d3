export type {
  CacheEventListener,
  CacheEventMap,
  CacheEventName,
  CacheEventRequest,
  CacheLayer,
  CacheRequestAnswer,
  CacheRequestName,
  InvalidationSource,
} from './cache-events.interface.js';
export { CacheEvents } from './cache-events.js';
export { defaultKeyGroup } from './key-group.js';
