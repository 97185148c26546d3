/** What the HTTP interceptor did, since boot; one instance per CacheModule. */
export class HttpCacheStats {
  hits = 0;
  misses = 0;
  /** Expired responses served within grace while one request refreshed them. */
  stale = 0;
  /** Requests that skipped the cache: credentials on a shared route, no user/tenant, uncacheable result. */
  bypasses = 0;
  /** 304 Not Modified answers to a matching `If-None-Match`. */
  notModified = 0;
  /** Write requests (@CacheEvict) that invalidated after a 2xx. */
  evictions = 0;
  /** Cache trouble that fell through to the handler (each kind logged once). */
  errors = 0;
}
