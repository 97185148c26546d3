import type { TagsTemplate } from '../decorators/key-template.js';
import type { CacheEvents } from '../events/cache-events.js';
import type { HttpCacheResult } from './http-cache.events.js';
import type {
  CacheRouteOptions,
  CacheScope,
  HttpRequestLike,
  ResolvedHttpCacheOptions,
} from './http-cache.interface.js';
import { HttpCacheStats } from './http-cache.stats.js';
import { isSharedCacheControl } from './cookie-privacy.js';
import { header } from './http-exchange.js';

/** The scope part of edge entries' keys: only edge routes write it, so the edge serves nothing else. */
export const EDGE_SCOPE = 'edge';

/** A route's options with the module defaults applied, resolved once per handler. */
export interface ResolvedRoute {
  /** `Controller.method`: the metrics label of the route (bounded, unlike paths). */
  name: string;
  ttl: number;
  grace: number;
  /** ms an expired response is kept to stand in for a failing handler (0: not kept). */
  failSafe: number;
  tags: TagsTemplate | undefined;
  scope: CacheScope | undefined;
  /** Lower-cased request header names. */
  vary: readonly string[];
  /** Query parameters that split the key; a request with any other one bypasses (see CacheRouteOptions.query). */
  query: ReadonlySet<string>;
  varyHeader: string | undefined;
  cacheControl: string | undefined;
  /** Hits are answered before routing (see CacheRouteOptions.edge); false where the edge refused the route. */
  edge: boolean;
  /** `cacheControl` lets shared caches store the response: a cookie must turn it private. */
  sharedControl: boolean;
  /**
   * Keys by request URL, for routes whose key depends on the URL alone (no `vary`, scope public or
   * anonymous): a hit then builds no key. `null`: the URL bypasses (an undeclared query parameter).
   */
  keys: Map<string, string | null> | undefined;
}

/** Per-route bound of the URL → key memo; past it the memo starts over (URLs a client invents). */
const MAX_KEYS = 1000;
/** Longer URLs are keyed every time rather than remembered. */
const MAX_MEMO_URL = 1024;

/** The memoized key of `url`, or undefined when it was never built. */
export function knownKey(route: ResolvedRoute, url: string): string | null | undefined {
  return route.keys?.get(url);
}

/** Remembers the key built for `url` (see ResolvedRoute.keys). */
export function rememberKey(route: ResolvedRoute, url: string, key: string | null): void {
  const { keys } = route;
  if (keys === undefined || url.length > MAX_MEMO_URL) return;
  if (keys.size >= MAX_KEYS) keys.clear();
  keys.set(url, key);
}

type Resolver = (request: HttpRequestLike) => string | number | null | undefined;
type WithUser = {
  user?: { id?: unknown; sub?: unknown; tenantId?: unknown };
  session?: { userId?: unknown; user?: { id?: unknown } };
};

/** `http.userId`'s default (applied by resolveCacheOptions). */
export const defaultUserId: Resolver = (req) => {
  const { user, session } = req as WithUser;
  return scalar(user?.id) ?? scalar(user?.sub) ?? scalar(session?.user?.id) ?? scalar(session?.userId);
};
/** `http.tenantId`'s default. */
export const defaultTenantId: Resolver = (req) => scalar((req as WithUser).user?.tenantId);

function scalar(value: unknown): string | number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/** Module-wide HTTP caching settings and counters, shared by every interceptor instance. */
export class HttpCacheContext {
  readonly stats = new HttpCacheStats();
  /** Set by GlobalHttpCacheInterceptor: then it alone handles requests, never twice with a route's own. */
  globalInterceptor = false;
  /** Handlers whose hits the edge answers, set at boot by HttpCacheEdge: only they write edge-scoped keys. */
  readonly edgeHandlers = new WeakSet<object>();
  readonly namespace: string;
  readonly maxBodyBytes: number;
  private readonly userId: Resolver;
  private readonly tenantId: Resolver;
  private readonly sessionCookies: readonly string[];

  /** `defaults`: the resolved `http` options, with the module's ttl, grace and fail-safe window (ms). */
  constructor(private readonly defaults: ResolvedHttpCacheOptions) {
    this.namespace = defaults.namespace;
    this.maxBodyBytes = defaults.maxBodyBytes;
    this.userId = defaults.userId;
    this.tenantId = defaults.tenantId;
    this.sessionCookies = defaults.sessionCookies.map((name) => `${name}=`);
  }

  /** Counts one outcome (`stats().http`) and emits it (`http:result`, for metrics) on the cache's events. */
  record(route: string, result: HttpCacheResult, events: Pick<CacheEvents, 'emit'>): void {
    const { stats } = this;
    if (result === 'hit') stats.hits++;
    else if (result === 'miss') stats.misses++;
    else if (result === 'stale') stats.stale++;
    else if (result === 'bypass') stats.bypasses++;
    else stats.notModified++;
    events.emit('http:result', { route, result });
  }

  /** `edge`: the edge serves this route (it may refuse one that asked, see HttpCacheEdge). */
  resolve(route: CacheRouteOptions, name: string, edge = false): ResolvedRoute {
    const ttl = route.ttl ?? this.defaults.ttl;
    const grace = route.grace ?? this.defaults.grace;
    const vary = (route.vary ?? []).map((name) => name.toLowerCase());
    const seconds = (ms: number) => Math.floor(ms / 1000);
    const failSafe = route.failSafe ?? this.defaults.failSafe;
    // `edge` alone means public: the edge answers everyone alike.
    const scope = route.scope ?? (route.edge ? 'public' : undefined);
    const shared =
      `public, max-age=${seconds(ttl)}` +
      (grace > 0 ? `, stale-while-revalidate=${seconds(grace)}` : '') +
      (failSafe > 0 ? `, stale-if-error=${seconds(failSafe)}` : '');
    const cacheControl =
      route.cacheControl === false
        ? undefined
        : (route.cacheControl ?? (scope === 'public' ? shared : 'private, no-cache'));
    return {
      name,
      ttl,
      grace,
      failSafe,
      tags: route.tags,
      scope,
      vary,
      query: new Set(route.query ?? []),
      varyHeader: route.vary?.length ? route.vary.join(', ') : undefined,
      cacheControl,
      edge,
      sharedControl: cacheControl !== undefined && isSharedCacheControl(cacheControl),
      keys: vary.length === 0 && (scope === 'public' || scope === undefined) ? new Map() : undefined,
    };
  }

  /**
   * The scope part of the key, or null to bypass the cache. RFC 9111 §3.5: a request with
   * credentials is never answered from a shared entry unless the route is explicitly public.
   */
  scopeOf(route: ResolvedRoute, req: HttpRequestLike): string | null {
    switch (route.scope) {
      case 'public':
        return route.edge ? EDGE_SCOPE : 'shared';
      case 'user': {
        const id = this.userId(req);
        return id === undefined || id === null ? null : `user=${id}`;
      }
      case 'tenant': {
        const id = this.tenantId(req);
        return id === undefined || id === null ? null : `tenant=${id}`;
      }
      default:
        return this.credentialed(req) ? null : 'shared';
    }
  }

  varyOf(route: ResolvedRoute, req: HttpRequestLike): string {
    if (route.vary.length === 0) return '';
    return route.vary.map((name) => `${name}=${header(req, name) ?? ''}`).join('&');
  }

  /** Authorization, a session cookie, or an authenticated user on the request. */
  credentialed(req: HttpRequestLike): boolean {
    const { user, session } = req as WithUser;
    if (req.headers.authorization !== undefined || user !== undefined || session?.user !== undefined) return true;
    const cookie = header(req, 'cookie');
    return cookie !== undefined && this.sessionCookies.some((name) => cookie.includes(name));
  }
}
