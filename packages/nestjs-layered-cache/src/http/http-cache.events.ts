/** What the HTTP cache did with one request. */
export type HttpCacheResult = 'hit' | 'miss' | 'stale' | 'bypass' | 'not-modified';

/** One HTTP cache outcome, on the cache module's events (`CacheService.on('http:result', …)`). */
export interface HttpResultEvent {
  /** `Controller.method` (bounded, unlike paths). */
  route: string;
  result: HttpCacheResult;
}

declare module '../events/cache-events.interface.js' {
  interface CacheEventMap {
    'http:result': HttpResultEvent;
  }
}
