import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** What a response that sets a cookie is marked instead of `public`: the browser may still revalidate it. */
export const COOKIE_CACHE_CONTROL = 'private, no-cache';

const PATCHED = Symbol('nestjs-layered-cache.cookiePrivacy');
/** Directives that let a shared cache (CDN, proxy) store the response. */
const SHARED = /(^|[\s,])(public|s-maxage)\b/i;

type Patched = ServerResponse & { [PATCHED]?: true };
type WriteHeadArgs = [number, ...unknown[]];

/**
 * A shared cache that stores a response with `Set-Cookie` hands one user's cookie (a rolling
 * session cookie) to everyone else. The cookie often comes from middleware after our interceptor
 * ran (express-session sets it when the headers go out, @fastify/session in an `onSend` hook), so
 * the check runs at the last moment: whenever `Set-Cookie` or `Cache-Control` is set on `res`, and
 * on the headers handed to `writeHead` (Fastify passes all of them there). If both are present and
 * Cache-Control allows shared caching, it becomes `private, no-cache`: the cookie wins.
 */
export function keepCookiesPrivate(res: ServerResponse): void {
  const patched = res as Patched;
  if (patched[PATCHED]) return;
  patched[PATCHED] = true;
  const setHeader = res.setHeader;
  const fixProgressive = (): void => {
    const control = res.getHeader('cache-control');
    if (res.getHeader('set-cookie') !== undefined && control !== undefined && SHARED.test(String(control))) {
      setHeader.call(res, 'Cache-Control', COOKIE_CACHE_CONTROL);
    }
  };
  res.setHeader = function (this: ServerResponse, name: string, value: number | string | readonly string[]) {
    const out = setHeader.call(this, name, value);
    const lower = name.toLowerCase();
    if (lower === 'set-cookie' || lower === 'cache-control') fixProgressive();
    return out;
  } as typeof res.setHeader;
  const writeHead = res.writeHead as (...args: WriteHeadArgs) => ServerResponse;
  res.writeHead = function (this: ServerResponse, ...args: WriteHeadArgs) {
    const headers = args.slice(1).find((a) => typeof a === 'object' && a !== null);
    if (headers !== undefined && !Array.isArray(headers)) fixHeaders(headers as OutgoingHttpHeaders, res);
    return writeHead.apply(this, args);
  } as typeof res.writeHead;
}

/** Headers passed to `writeHead`, possibly alongside ones set before (then Node merges them through setHeader). */
function fixHeaders(headers: OutgoingHttpHeaders, res: ServerResponse): void {
  let controlName: string | undefined;
  let cookie = res.getHeader('set-cookie') !== undefined;
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'cache-control') controlName = name;
    else if (lower === 'set-cookie' && headers[name] !== undefined) cookie = true;
  }
  if (cookie && controlName !== undefined && SHARED.test(String(headers[controlName]))) {
    headers[controlName] = COOKIE_CACHE_CONTROL;
  }
}
