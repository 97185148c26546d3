export { CacheSessionModule } from './cache-session.module.js';
export { RedisSessionStore, generateSessionId, type RedisSessionStoreOptions } from './redis-session.store.js';
export { RedisThrottlerStorage } from './redis-throttler.storage.js';
export { SESSION_UNAVAILABLE, type CacheSessionOptions } from './session.options.js';
export { SessionService, type SessionRecord, type SessionSummary, type SessionUser } from './session.service.js';
