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
