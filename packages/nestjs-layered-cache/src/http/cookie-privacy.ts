import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** What a response that sets a cookie is marked instead of `public`: the browser may still revalidate it. */
export const COOKIE_CACHE_CONTROL = 'private, no-cache';

const SET_HEADER = Symbol('nestjs-layered-cache.setHeader');
const WRITE_HEAD = Symbol('nestjs-layered-cache.writeHead');
/** Directives that let a shared cache (CDN, proxy) store the response. */
const SHARED = /(^|[\s,])(public|s-maxage)\b/i;

type Patched = ServerResponse & {
  [SET_HEADER]?: ServerResponse['setHeader'];
  [WRITE_HEAD]?: (...args: WriteHeadArgs) => ServerResponse;
};
type WriteHeadArgs = [number, ...unknown[]];

/** True when `cacheControl` lets a shared cache store the response (the only case a cookie must change). */
export function isSharedCacheControl(cacheControl: string): boolean {
  return SHARED.test(cacheControl);
}

/**
 * A shared cache that stores a response with `Set-Cookie` hands one user's cookie (a rolling
 * session cookie) to everyone else. The cookie often comes from middleware after our interceptor
 * ran (express-session sets it when the headers go out, @fastify/session in an `onSend` hook), so
 * the check runs at the last moment: whenever `Set-Cookie` or `Cache-Control` is set on `res`, and
 * on the headers handed to `writeHead` (Fastify passes all of them there). If both are present and
 * Cache-Control allows shared caching, it becomes `private, no-cache`: the cookie wins.
 *
 * On the hit path of every cached request: the patch is two shared functions and the originals
 * kept on the response, no closure per request.
 */
export function keepCookiesPrivate(res: ServerResponse): void {
  const patched = res as Patched;
  if (patched[WRITE_HEAD] !== undefined) return;
  patched[SET_HEADER] = res.setHeader;
  patched[WRITE_HEAD] = res.writeHead as (...args: WriteHeadArgs) => ServerResponse;
  res.setHeader = checkedSetHeader as ServerResponse['setHeader'];
  res.writeHead = checkedWriteHead as ServerResponse['writeHead'];
}

function checkedSetHeader(this: Patched, name: string, value: number | string | readonly string[]): ServerResponse {
  const out = this[SET_HEADER]!.call(this, name, value);
  // 'set-cookie' and 'cache-control' are 10 and 13 characters: most names skip the lower-casing.
  if (name.length === 10 || name.length === 13) {
    const lower = name.toLowerCase();
    if (lower === 'set-cookie' || lower === 'cache-control') fixProgressive(this);
  }
  return out;
}

function checkedWriteHead(this: Patched, status: number, reason?: unknown, headers?: unknown): ServerResponse {
  // writeHead(status, headers) or writeHead(status, reason, headers); a header array is left as is.
  const given = typeof reason === 'object' && reason !== null ? reason : headers;
  if (typeof given === 'object' && given !== null && !Array.isArray(given))
    fixHeaders(given as OutgoingHttpHeaders, this);
  // eslint-disable-next-line prefer-rest-params -- passes the call on exactly as made, without an array per response
  return this[WRITE_HEAD]!.apply(this, arguments as unknown as WriteHeadArgs);
}

function fixProgressive(res: Patched): void {
  const control = res.getHeader('cache-control');
  if (res.getHeader('set-cookie') !== undefined && control !== undefined && SHARED.test(String(control))) {
    res[SET_HEADER]!.call(res, 'Cache-Control', COOKIE_CACHE_CONTROL);
  }
}

/** Headers passed to `writeHead`, possibly alongside ones set before (then Node merges them through setHeader). */
function fixHeaders(headers: OutgoingHttpHeaders, res: ServerResponse): void {
  let controlName: string | undefined;
  let cookie = res.getHeader('set-cookie') !== undefined;
  for (const name in headers) {
    if (name.length !== 10 && name.length !== 13) continue;
    const lower = name.toLowerCase();
    if (lower === 'cache-control') controlName = name;
    else if (lower === 'set-cookie' && headers[name] !== undefined) cookie = true;
  }
  if (cookie && controlName !== undefined && SHARED.test(String(headers[controlName]))) {
    headers[controlName] = COOKIE_CACHE_CONTROL;
  }
}
