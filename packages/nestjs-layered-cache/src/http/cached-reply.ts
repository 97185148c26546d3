import type { StoredResponse } from './stored-response.js';

export type CacheOutcome = 'HIT' | 'MISS' | 'STALE';

/** The headers every cached answer carries (200 or 304), written through `set`. */
export function writeCacheHeaders(
  set: (name: string, value: string) => void,
  stored: StoredResponse,
  outcome: CacheOutcome,
  cacheControl: string | undefined,
  vary: string | undefined,
  /** The route's grace, ms: a stale answer older than ttl + grace stood in for a failed refresh. */
  grace = 0,
): void {
  set('X-Cache', outcome);
  if (outcome === 'STALE') set('Warning', staleWarning(stored, grace));
  set('Age', String(Math.max(0, Math.floor((Date.now() - stored.storedAt) / 1000))));
  set('ETag', stored.etag);
  if (cacheControl) set('Cache-Control', cacheControl);
  if (vary) set('Vary', vary);
}

/**
 * RFC 7234 §5.5 warn-codes (obsoleted by RFC 9111 but still what clients and proxies log): 110
 * for a stale answer within grace (a refresh is under way), 111 when it is past grace, which the
 * cache only serves because the refresh failed (fail-safe, RFC 5861 stale-if-error).
 */
function staleWarning(stored: StoredResponse, grace: number): string {
  return Date.now() >= stored.storedAt + stored.ttl + grace
    ? '111 - "Revalidation Failed"'
    : '110 - "Response is Stale"';
}
