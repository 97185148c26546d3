import type { TagsTemplate } from '../decorators/key-template.js';
import type {
  CacheRouteOptions,
  CacheScope,
  HttpRequestLike,
  ResolvedHttpCacheOptions,
} from './http-cache.interface.js';
import { HttpCacheStats } from './http-cache.stats.js';
import { header } from './http-exchange.js';

/** The scope part of edge entries' keys: only edge routes write it, so the edge serves nothing else. */
export const EDGE_SCOPE = 'edge';

/** What the HTTP cache did with one request. */
export type HttpCacheResult = 'hit' | 'miss' | 'stale' | 'bypass' | 'not-modified';

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
  /** Hits are answered before routing (see CacheRouteOptions.edge). */
  edge: boolean;
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

  private readonly listeners = new Set<(route: string, result: HttpCacheResult) => void>();

  /** Counts one outcome and tells the listeners (metrics). */
  record(route: string, result: HttpCacheResult): void {
    const { stats } = this;
    if (result === 'hit') stats.hits++;
    else if (result === 'miss') stats.misses++;
    else if (result === 'stale') stats.stale++;
    else if (result === 'bypass') stats.bypasses++;
    else stats.notModified++;
    for (const listener of this.listeners) listener(route, result);
  }

  onResult(listener: (route: string, result: HttpCacheResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  resolve(route: CacheRouteOptions, name: string): ResolvedRoute {
    const ttl = route.ttl ?? this.defaults.ttl;
    const grace = route.grace ?? this.defaults.grace;
    const vary = (route.vary ?? []).map((name) => name.toLowerCase());
    const seconds = (ms: number) => Math.floor(ms / 1000);
    const failSafe = route.failSafe ?? this.defaults.failSafe;
    const shared =
      `public, max-age=${seconds(ttl)}` +
      (grace > 0 ? `, stale-while-revalidate=${seconds(grace)}` : '') +
      (failSafe > 0 ? `, stale-if-error=${seconds(failSafe)}` : '');
    return {
      name,
      ttl,
      grace,
      failSafe,
      tags: route.tags,
      scope: route.scope,
      vary,
      query: new Set(route.query ?? []),
      varyHeader: route.vary?.length ? route.vary.join(', ') : undefined,
      cacheControl:
        route.cacheControl === false
          ? undefined
          : (route.cacheControl ?? (route.scope === 'public' ? shared : 'private, no-cache')),
      edge: route.edge === true,
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
