import type { StoredResponse } from './stored-response.js';

export type CacheOutcome = 'HIT' | 'MISS' | 'STALE';

/** The headers every cached answer carries (200 or 304), written through `set`. */
export function writeCacheHeaders(
  set: (name: string, value: string) => void,
  stored: StoredResponse,
  outcome: CacheOutcome,
  cacheControl: string | undefined,
  vary: string | undefined,
): void {
  set('X-Cache', outcome);
  set('Age', String(Math.max(0, Math.floor((Date.now() - stored.storedAt) / 1000))));
  set('ETag', stored.etag);
  if (cacheControl) set('Cache-Control', cacheControl);
  if (vary) set('Vary', vary);
}
