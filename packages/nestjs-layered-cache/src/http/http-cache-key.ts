import { createHash } from 'node:crypto';

const MAX_KEY_LENGTH = 512;

/**
 * Path and query in one canonical form: duplicate and trailing slashes dropped, query parameters
 * sorted by name (stable, so repeated names keep their order). `?b=2&a=1` and `?a=1&b=2` are one key.
 */
export function canonicalTarget(url: string): string {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  if (path.includes('//')) path = path.replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (q === -1) return path;
  const params = new URLSearchParams(url.slice(q + 1));
  params.sort();
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/**
 * The target a route's entry is keyed by, or, when the request carries a query parameter the route
 * does not declare, the first such name (the request then bypasses the cache). Undeclared
 * parameters never create entries, so a client cannot grow the cache by inventing them, and never
 * change an answer: the handler sees them, as it would without the cache.
 */
export function routeTarget(url: string, declared: ReadonlySet<string>): { target: string } | { undeclared: string } {
  const q = url.indexOf('?');
  if (q !== -1) {
    for (const name of new URLSearchParams(url.slice(q + 1)).keys()) {
      if (!declared.has(name)) return { undeclared: name };
    }
  }
  return { target: canonicalTarget(url) };
}

/**
 * The cache key of a response: target, varied header values and scope. It starts with the path
 * (without its leading slash) so the default key group is the first path segment (`products`).
 * Very long keys keep that segment and hash the rest.
 */
export function responseKey(target: string, vary: string, scope: string): string {
  const key = `${target.slice(1)}|${vary}|${scope}`;
  if (key.length <= MAX_KEY_LENGTH) return key;
  const head = key.slice(0, key.search(/[/?|]/));
  return `${head}/#${createHash('sha1').update(key).digest('base64url')}`;
}
