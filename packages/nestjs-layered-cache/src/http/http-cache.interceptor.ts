import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { defer, lastValueFrom, mergeMap, of, type Observable } from 'rxjs';
import { CacheService } from '../cache.service.js';
import type { CacheView } from '../cache-view.js';
import { CACHE_EVICT_METADATA } from '../decorators/cache-decorators.constants.js';
import type { CacheEvictOptions } from '../decorators/cache-decorators.interface.js';
import { renderTags } from '../decorators/key-template.js';
import { writeCacheHeaders, type CacheOutcome } from './cached-reply.js';
import { CACHE_ROUTE_METADATA } from './http-cache.constants.js';
import { HttpCacheContext, knownKey, rememberKey, type ResolvedRoute } from './http-cache.context.js';
import { evictFor, templateSource } from './http-cache.evict.js';
import type { CacheRouteOptions, HttpRequestLike } from './http-cache.interface.js';
import { keepCookiesPrivate } from './cookie-privacy.js';
import { responseKey, routeTarget } from './http-cache-key.js';
import { rawResponse, requestUrl, responseSent, setHeader, setStatus, type HttpResponseLike } from './http-exchange.js';
import { etagMatches, toStoredResponse, type StoredResponse } from './stored-response.js';

/** The handler failed: every request that waited on it gets the same error. */
class HandlerFailure {
  /** `cause`: fail-safe looks there for an HTTP status (4xx answers are never hidden). */
  constructor(readonly cause: unknown) {}
}
/** The handler's result cannot be cached (stream, non-2xx, @Res()...): it goes to its own request only. */
class Uncacheable {
  /** An answer, not a failure: fail-safe must not replace it with an older one. */
  readonly notAFailure = true;
  constructor(readonly value: unknown) {}
}

/**
 * Caches GET/HEAD responses of `@CacheRoute` handlers as serialized bytes, answers
 * `If-None-Match` with 304, and runs `@CacheEvict` after 2xx writes. Any cache trouble falls
 * through to the handler. Subclass it to change `keyOf` or `routeOf`.
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor {
  /** True for the instance registered globally: routes without `@CacheRoute` are cached too. */
  protected readonly cacheUndecorated: boolean = false;
  private readonly logger = new Logger('HttpCache');
  private readonly routes = new WeakMap<object, ResolvedRoute | null>();
  private readonly logged = new Set<string>();
  private readonly view: CacheView;

  constructor(
    private readonly cache: CacheService,
    private readonly reflector: Reflector,
    @Inject(HttpCacheContext) private readonly http: HttpCacheContext,
  ) {
    this.view = cache.namespace(http.namespace);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    // With the global instance active, it handles every request; a route's own instance stands by.
    if (this.http.globalInterceptor && !this.cacheUndecorated) return next.handle();
    // The arguments of an HTTP handler are (req, res, next); switchToHttp() would allocate per call.
    const req = context.getArgByIndex<HttpRequestLike>(0);
    const res = context.getArgByIndex<HttpResponseLike>(1);
    if (req.method === 'GET' || req.method === 'HEAD') {
      const route = this.routeOf(context);
      return route ? this.serve(req, res, route, next) : next.handle();
    }
    const evict = this.reflector.get<CacheEvictOptions | undefined>(CACHE_EVICT_METADATA, context.getHandler());
    if (!evict) return next.handle();
    return next.handle().pipe(mergeMap((result) => this.evictAfter(evict, req, res, result)));
  }

  /** The route's resolved options, or null when it is not cached. Resolved once per handler. */
  protected routeOf(context: ExecutionContext): ResolvedRoute | null {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (route === undefined) {
      const options = this.reflector.getAllAndOverride<CacheRouteOptions | false | undefined>(CACHE_ROUTE_METADATA, [
        handler,
        context.getClass(),
      ]);
      route =
        options === false || (options === undefined && !this.cacheUndecorated)
          ? null
          : this.http.resolve(
              options ?? {},
              `${context.getClass().name}.${handler.name}`,
              this.http.edgeHandlers.has(handler),
            );
      this.routes.set(handler, route);
    }
    return route;
  }

  /** The cache key, or null to bypass: method-agnostic (HEAD shares GET's entry). */
  protected keyOf(route: ResolvedRoute, req: HttpRequestLike): string | null {
    const scope = this.http.scopeOf(route, req);
    if (scope === null) return null;
    const url = requestUrl(req);
    const known = knownKey(route, url);
    if (known !== undefined) return known;
    const target = routeTarget(url, route.query);
    if ('undeclared' in target) {
      this.once(
        `query:${route.name}`,
        `${route.name} got query parameter ${JSON.stringify(target.undeclared.slice(0, 64))}, which its @CacheRoute({ query }) does not list: such requests bypass the cache`,
      );
      rememberKey(route, url, null);
      return null;
    }
    const key = responseKey(target.target, this.http.varyOf(route, req), scope);
    rememberKey(route, url, key);
    return key;
  }

  /** An L1 hit is answered synchronously; anything else goes through getOrSet. */
  private serve(
    req: HttpRequestLike,
    res: HttpResponseLike,
    route: ResolvedRoute,
    next: CallHandler,
  ): Observable<unknown> {
    let key: string | null;
    let hit: StoredResponse | undefined;
    try {
      key = this.keyOf(route, req);
      hit = key === null ? undefined : this.view.peek<StoredResponse>(key);
    } catch (error) {
      this.trouble('key', error);
      key = null;
    }
    if (hit) return of(this.reply(req, res, route, hit, 'HIT'));
    return defer(() => (key === null ? this.bypass(route, res, next) : this.load(req, res, route, key, next)));
  }

  private async load(
    req: HttpRequestLike,
    res: HttpResponseLike,
    route: ResolvedRoute,
    key: string,
    next: CallHandler,
  ): Promise<unknown> {
    let tags: string[];
    try {
      tags = renderTags(route.tags, [req], templateSource(req));
    } catch (error) {
      this.trouble('tags', error);
      return this.bypass(route, res, next);
    }
    let ran = false;
    let replied = false;
    let produced: StoredResponse | undefined;
    const loader = async (): Promise<StoredResponse> => {
      ran = true;
      let value: unknown;
      try {
        value = await lastValueFrom(next.handle(), { defaultValue: undefined });
      } catch (error) {
        throw new HandlerFailure(error);
      }
      produced = this.toStored(value, res, route, replied);
      if (!produced) throw new Uncacheable(value);
      return produced;
    };
    try {
      const { ttl, grace, failSafe } = route;
      const stored = await this.view.getOrSet(key, loader, { ttl, grace, failSafe, tags });
      replied = true;
      const outcome = Date.now() >= stored.storedAt + stored.ttl ? 'STALE' : ran ? 'MISS' : 'HIT';
      return this.reply(req, res, route, stored, outcome);
    } catch (error) {
      replied = true;
      if (error instanceof HandlerFailure) throw error.cause;
      if (error instanceof Uncacheable)
        return ran ? this.markBypass(route, res, error.value) : this.bypass(route, res, next);
      this.trouble('store', error);
      if (produced) return this.reply(req, res, route, produced, 'MISS');
      if (ran) throw error;
      return this.bypass(route, res, next);
    }
  }

  private toStored(
    value: unknown,
    res: HttpResponseLike,
    route: ResolvedRoute,
    replied: boolean,
  ): StoredResponse | undefined {
    const shared = route.scope !== 'user' && route.scope !== 'tenant';
    try {
      const stored = toStoredResponse(value, res, {
        ttl: route.ttl,
        shared,
        maxBytes: this.http.maxBodyBytes,
        replied,
      });
      return stored && route.edge ? { ...stored, cacheControl: route.cacheControl, route: route.name } : stored;
    } catch {
      // Not JSON-serializable (a cycle, a BigInt): the framework reports it as it would uncached.
      return undefined;
    }
  }

  /** Writes stored bytes with our headers; a matching If-None-Match gets an empty 304. */
  private reply(
    req: HttpRequestLike,
    res: HttpResponseLike,
    route: ResolvedRoute,
    stored: StoredResponse,
    outcome: CacheOutcome,
  ): string | undefined {
    if (route.sharedControl) keepCookiesPrivate(rawResponse(res));
    const ifNoneMatch = req.headers['if-none-match'];
    const notModified = ifNoneMatch !== undefined && etagMatches(String(ifNoneMatch), stored.etag);
    writeCacheHeaders(res, stored, outcome, route.cacheControl, route.varyHeader, route.grace, !notModified);
    if (notModified) {
      this.http.record(route.name, 'not-modified', this.cache);
      setStatus(res, 304);
      return undefined;
    }
    this.http.record(route.name, outcome === 'HIT' ? 'hit' : outcome === 'MISS' ? 'miss' : 'stale', this.cache);
    setStatus(res, stored.status);
    return stored.body;
  }

  /** Runs the handler for this request alone; marked before it runs, so errors carry the mark too. */
  private bypass(route: ResolvedRoute, res: HttpResponseLike, next: CallHandler): Promise<unknown> {
    this.markBypass(route, res);
    return lastValueFrom(next.handle(), { defaultValue: undefined });
  }

  private markBypass<T>(route: ResolvedRoute, res: HttpResponseLike, value?: T): T | undefined {
    this.http.record(route.name, 'bypass', this.cache);
    // A handler that sent the response itself (@Res()) left nothing to mark.
    if (!responseSent(res)) setHeader(res, 'X-Cache', 'BYPASS');
    return value;
  }

  /** After a 2xx, before the response is sent: the caller's next read must miss. */
  private async evictAfter(
    options: CacheEvictOptions,
    req: HttpRequestLike,
    res: HttpResponseLike,
    result: unknown,
  ): Promise<unknown> {
    if (res.statusCode < 200 || res.statusCode > 299) return result;
    try {
      await evictFor(this.cache, options, req);
      this.http.stats.evictions++;
    } catch (error) {
      this.trouble('evict', error);
    }
    return result;
  }

  /** Counted every time, logged once per kind and message: it must never flood the log. */
  private trouble(kind: string, error: unknown): void {
    this.http.stats.errors++;
    const message = error instanceof Error ? error.message : String(error);
    this.once(`${kind}:${message}`, `HTTP cache ${kind} failed, serving without the cache: ${message}`);
  }

  private once(id: string, message: string): void {
    if (this.logged.has(id) || this.logged.size > 100) return;
    this.logged.add(id);
    this.logger.warn(message);
  }
}

/** Registered by `CacheModule.forRoot({ globalHttpInterceptor: true })`: caches every GET route. */
@Injectable()
export class GlobalHttpCacheInterceptor extends HttpCacheInterceptor {
  protected override readonly cacheUndecorated = true;

  constructor(cache: CacheService, reflector: Reflector, @Inject(HttpCacheContext) http: HttpCacheContext) {
    super(cache, reflector, http);
    http.globalInterceptor = true;
  }
}
