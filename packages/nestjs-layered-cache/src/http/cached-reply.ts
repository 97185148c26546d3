import type { HttpResponseLike } from './http-exchange.js';
import type { StoredResponse } from './stored-response.js';

export type CacheOutcome = 'HIT' | 'MISS' | 'STALE';

/** `Age` in whole seconds; the string is reused while the second and the entry stay the same. */
let ageEntry: StoredResponse | undefined;
let ageSecond = -1;
let ageText = '0';

function ageOf(stored: StoredResponse, now: number): string {
  const second = Math.floor(now / 1000);
  if (stored !== ageEntry || second !== ageSecond) {
    ageEntry = stored;
    ageSecond = second;
    ageText = String(Math.max(0, Math.floor((now - stored.storedAt) / 1000)));
  }
  return ageText;
}

/**
 * The headers every cached answer carries (200 or 304), plus `Content-Type` when `withType`.
 * One call per answer, written straight to the reply (Fastify) or to Node's `setHeader`
 * (Express, and Fastify's raw response at the edge): no closure or header object per request.
 */
export function writeCacheHeaders(
  res: HttpResponseLike,
  stored: StoredResponse,
  outcome: CacheOutcome,
  cacheControl: string | undefined,
  vary: string | undefined,
  /** The route's grace, ms: a stale answer older than ttl + grace stood in for a failed refresh. */
  grace: number,
  withType: boolean,
): void {
  const now = Date.now();
  const age = outcome === 'HIT' ? ageOf(stored, now) : String(Math.max(0, Math.floor((now - stored.storedAt) / 1000)));
  if ('raw' in res) {
    res.header('x-cache', outcome);
    if (outcome === 'STALE') res.header('warning', staleWarning(stored, grace, now));
    res.header('age', age);
    res.header('etag', stored.etag);
    if (cacheControl) res.header('cache-control', cacheControl);
    if (vary) res.header('vary', vary);
    if (withType) res.header('content-type', stored.type);
  } else {
    res.setHeader('X-Cache', outcome);
    if (outcome === 'STALE') res.setHeader('Warning', staleWarning(stored, grace, now));
    res.setHeader('Age', age);
    res.setHeader('ETag', stored.etag);
    if (cacheControl) res.setHeader('Cache-Control', cacheControl);
    if (vary) res.setHeader('Vary', vary);
    if (withType) res.setHeader('Content-Type', stored.type);
  }
}

/**
 * RFC 7234 §5.5 warn-codes (obsoleted by RFC 9111 but still what clients and proxies log): 110
 * for a stale answer within grace (a refresh is under way), 111 when it is past grace, which the
 * cache only serves because the refresh failed (fail-safe, RFC 5861 stale-if-error).
 */
function staleWarning(stored: StoredResponse, grace: number, now: number): string {
  return now >= stored.storedAt + stored.ttl + grace ? '111 - "Revalidation Failed"' : '110 - "Response is Stale"';
}
