import type { TagsTemplate } from '../decorators/key-template.js';

/**
 * Who shares a cached response. `public`: everyone, even requests with credentials (the response
 * must not depend on who asks). `user` / `tenant`: one entry per user / tenant id. Left out: shared
 * among anonymous requests; requests with `Authorization`, a session cookie or a user bypass the cache.
 */
export type CacheScope = 'public' | 'user' | 'tenant';

/** `@CacheRoute(options)` on a GET handler (or controller). Durations in milliseconds. */
export interface CacheRouteOptions {
  /** Server-side freshness, ms; also `max-age` (in s) on public routes. Default: the module's `ttl`. */
  ttl?: number;
  /** Serve an expired response this long (ms) while one request refreshes it. Default: the module's `grace`. */
  grace?: number;
  /**
   * Fail-safe: after ttl + grace, keep the response this long (ms) to answer when the handler fails
   * (5xx, database down), marked stale. Default: the module's `failSafe.maxStale` (0 when off).
   */
  failSafe?: number;
  /** Tags over the request: `['product:{params.id}', 'products']`, or `(req) => string[]`. */
  tags?: TagsTemplate;
  /** Default: shared among anonymous requests only (see CacheScope). */
  scope?: CacheScope;
  /** Request headers whose values split the key (and are listed in `Vary`), e.g. `['accept-language']`. */
  vary?: readonly string[];
  /**
   * Query parameters the response depends on (`['page', 'search']`); they split the key. A request
   * with any other parameter is served by the handler without the cache (`X-Cache: BYPASS`), so
   * parameters nobody declared never create entries nor change answers. Default `[]`: only
   * requests without a query string are cached.
   */
  query?: readonly string[];
  /**
   * Replaces the `Cache-Control` we send (`false`: send none). A shared one (`public`, `s-maxage`)
   * becomes `private, no-cache` on any response that also carries `Set-Cookie`.
   */
  cacheControl?: string | false;
  /**
   * Answer in-memory hits before the framework routes the request: no middleware registered
   * after the cache module, no guard, pipe, interceptor or handler runs for them. Only for routes
   * whose response is the same for every caller: `edge: true` implies `scope: 'public'` and
   * refuses `vary` and other scopes. A route with its own guards is refused at boot. With global
   * guards (`APP_GUARD`, `app.useGlobalGuards`) the route is cached through the interceptor
   * instead (guards run, a warning says so) unless it says `'skip-global-guards'`: only for
   * routes every global guard lets anonymous requests through (e.g. marked `@Public()`).
   * See docs/http-caching.md, "Edge routes". Default false.
   */
  edge?: boolean | 'skip-global-guards';
}

/** The request as both Express and Fastify present it to an interceptor. */
export interface HttpRequestLike {
  method: string;
  url: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, unknown>;
  query?: unknown;
  body?: unknown;
  user?: unknown;
  session?: unknown;
}

/** `CacheModule.forRoot({ http: {...} })`: how HTTP responses are cached. */
export interface HttpCacheModuleOptions {
  /** Resolves the user for `scope: 'user'`. Default: `req.user.id ?? req.user.sub ?? req.session.userId`. */
  userId?: (request: HttpRequestLike) => string | number | null | undefined;
  /** Resolves the tenant for `scope: 'tenant'`. Default: `req.user.tenantId`. Never trust a raw header here. */
  tenantId?: (request: HttpRequestLike) => string | number | null | undefined;
  /** Cookies that mean "this request has a session". Default `connect.sid`, `sessionId`, `sid`. */
  sessionCookies?: readonly string[];
  /** Responses larger than this many bytes are sent, not cached. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Namespace of HTTP entries (nested in the root one); `clear()` on it drops them all. Default `http`. */
  namespace?: string;
}

/** `http` options with the module's defaults applied, plus the module-wide route defaults (ms). */
export interface ResolvedHttpCacheOptions extends Readonly<Required<HttpCacheModuleOptions>> {
  /** The module's `ttl`: a route's default freshness. */
  readonly ttl: number;
  /** The module's `grace`. */
  readonly grace: number;
  /** How long expired answers are kept to stand in for failing handlers: the module's fail-safe window. */
  readonly failSafe: number;
}
