import { ServerResponse, type OutgoingHttpHeaders } from 'node:http';

/** What a response that sets a cookie is marked instead of `public`: the browser may still revalidate it. */
export const COOKIE_CACHE_CONTROL = 'private, no-cache';

/** Set on a response we answered with a shared Cache-Control: only those are checked. */
const GUARDED = Symbol('nestjs-layered-cache.cookiePrivacy');
/** Directives that let a shared cache (CDN, proxy) store the response. */
const SHARED = /(^|[\s,])(public|s-maxage)\b/i;

type Guarded = ServerResponse & { [GUARDED]?: true };
type WriteHead = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

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
 * This runs on every cached hit. Replacing `setHeader`/`writeHead` on each response object (what
 * this did first) cost Express ~40 µs a request: own methods on `res` turn Node's and Express's
 * calls on it megamorphic. So the check lives on `ServerResponse.prototype`, installed once, the
 * first time a response needs it, and does nothing for responses this function did not mark.
 * Wrappers that middleware puts on a response (on-headers, compression) run before it and call it.
 */
export function keepCookiesPrivate(res: ServerResponse): void {
  if (!installed) install();
  (res as Guarded)[GUARDED] = true;
}

let installed = false;

function install(): void {
  installed = true;
  const proto = ServerResponse.prototype;
  const setHeader = proto.setHeader;
  const writeHead = proto.writeHead as WriteHead;
  proto.setHeader = function (this: Guarded, name: string, value: number | string | readonly string[]) {
    const out = setHeader.call(this, name, value);
    // 'set-cookie' and 'cache-control' are 10 and 13 characters: most names skip the lower-casing.
    if (this[GUARDED] === true && (name.length === 10 || name.length === 13)) {
      const lower = name.toLowerCase();
      if (lower === 'set-cookie' || lower === 'cache-control') fixProgressive(this, setHeader);
    }
    return out;
  } as typeof proto.setHeader;
  proto.writeHead = function (this: Guarded, status: number, reason?: unknown, headers?: unknown) {
    if (this[GUARDED] === true) {
      // writeHead(status, headers) or writeHead(status, reason, headers); a header array is left as is.
      const given = typeof reason === 'object' && reason !== null ? reason : headers;
      if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
        fixHeaders(given as OutgoingHttpHeaders, this);
      }
    }
    // eslint-disable-next-line prefer-rest-params -- passes the call on exactly as made, without an array per response
    return writeHead.apply(this, arguments as unknown as unknown[]);
  } as typeof proto.writeHead;
}

function fixProgressive(res: ServerResponse, setHeader: ServerResponse['setHeader']): void {
  const control = res.getHeader('cache-control');
  if (res.getHeader('set-cookie') !== undefined && control !== undefined && SHARED.test(String(control))) {
    setHeader.call(res, 'Cache-Control', COOKIE_CACHE_CONTROL);
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
