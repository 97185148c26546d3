import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { ApplicationConfig, DiscoveryService, HttpAdapterHost, MetadataScanner, Reflector } from '@nestjs/core';
import { CacheService } from '../cache.service.js';
import type { CacheView } from '../cache-view.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { writeCacheHeaders } from './cached-reply.js';
import { isSharedCacheControl, keepCookiesPrivate } from './cookie-privacy.js';
import { CACHE_ROUTE_METADATA } from './http-cache.constants.js';
import { EDGE_SCOPE, HttpCacheContext } from './http-cache.context.js';
import type { CacheRouteOptions } from './http-cache.interface.js';
import { canonicalTarget, responseKey } from './http-cache-key.js';
import { etagMatches, type StoredResponse } from './stored-response.js';

interface FastifyLike {
  addHook(
    name: 'onRequest',
    hook: (request: { raw: IncomingMessage }, reply: FastifyReplyLike, done: () => void) => void,
  ): unknown;
}
interface FastifyReplyLike {
  raw: ServerResponse;
  statusCode: number;
  sent: boolean;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  getHeader(name: string): unknown;
  send(body?: string): unknown;
}

/** An `@CacheRoute({ edge })` handler found at boot. */
interface EdgeRoute {
  name: string;
  handler: object;
  skipGlobalGuards: boolean;
}

/**
 * Answers in-memory hits of `@CacheRoute({ edge: true })` routes before the framework routes the
 * request (an Express middleware or a Fastify `onRequest` hook, installed ahead of every route),
 * skipping Nest's guard/interceptor/pipe pipeline. It serves only keys with the edge scope, which
 * only the routes it accepted write, so no other route's entry can ever leave this way. Misses go
 * on to the route, whose interceptor fills the entry.
 *
 * Safe only where every caller gets the same answer: a route with guards of its own is refused at
 * boot; with global guards a route is left to the interceptor (guards run) unless it says
 * `edge: 'skip-global-guards'`.
 */
@Injectable()
export class HttpCacheEdge {
  private readonly logger = new Logger('HttpCache');
  private readonly view: CacheView;

  // Explicit tokens: this file is not one of the roles the lint config lets import classes for DI.
  constructor(
    @Inject(CacheService) private readonly cache: CacheService,
    @Inject(HttpCacheContext) private readonly http: HttpCacheContext,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
    @Optional() @Inject(ApplicationConfig) private readonly config?: ApplicationConfig,
  ) {
    this.view = cache.namespace(http.namespace);
  }

  /** Called before routes are registered; installs nothing unless an edge route is accepted. */
  install(): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter) return;
    const routes = this.accept(this.edgeRoutes());
    if (routes.length === 0) return;
    if (adapter.getType() === 'fastify') {
      (adapter.getInstance() as FastifyLike).addHook('onRequest', (request, reply, done) => {
        const found = this.find(request.raw);
        if (!found) return done();
        const status = this.answer(found, request.raw, reply);
        reply.code(status).send(status === 304 ? undefined : found.body);
      });
    } else {
      adapter.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        const found = this.find(req);
        if (!found) return next();
        const status = this.answer(found, req, res);
        res.statusCode = status;
        if (status === 304) return void res.end();
        res.setHeader('Content-Length', Buffer.byteLength(found.body));
        res.end(req.method === 'HEAD' ? undefined : found.body);
      });
    }
    this.logger.log(`Edge cache answering hits of ${routes.join(', ')} before routing`);
  }

  /**
   * The routes the edge may answer. Global guards cannot be inspected per route (an auth guard
   * may honour `@Public()`), so a plain `edge: true` route is left to the interceptor when any
   * exist, with a warning; `'skip-global-guards'` is the route's word that they let everyone in.
   */
  private accept(routes: EdgeRoute[]): string[] {
    const guards = this.globalGuards();
    const accepted: string[] = [];
    const refused: string[] = [];
    for (const route of routes) {
      if (guards.length > 0 && !route.skipGlobalGuards) {
        refused.push(route.name);
        continue;
      }
      this.http.edgeHandlers.add(route.handler);
      accepted.push(route.name);
    }
    if (refused.length > 0) {
      this.logger.warn(
        `Edge off for ${refused.join(', ')}: global guards (${guards.join(', ')}) would not run for edge hits, so these routes are cached through the interceptor instead. If every global guard lets anonymous requests through on them, say @CacheRoute({ edge: 'skip-global-guards' }).`,
      );
    }
    if (accepted.length > 0 && guards.length > 0) {
      this.logger.warn(`Edge routes ${accepted.join(', ')} answer hits before global guards (${guards.join(', ')}).`);
    }
    return accepted;
  }

  /** Names of the guards that run on every route: `APP_GUARD` providers and `app.useGlobalGuards()`. */
  private globalGuards(): string[] {
    const names = new Set<string>();
    for (const guard of this.config?.getGlobalGuards() ?? []) names.add(guard.constructor.name);
    for (const wrapper of this.discovery.getProviders()) {
      if (String(wrapper.token).startsWith('APP_GUARD')) names.add(wrapper.metatype?.name ?? wrapper.name);
    }
    return [...names];
  }

  private find(req: IncomingMessage): StoredResponse | undefined {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    try {
      return this.view.peek<StoredResponse>(responseKey(canonicalTarget(req.url ?? '/'), '', EDGE_SCOPE));
    } catch {
      return undefined; // the route's own interceptor reports cache trouble
    }
  }

  /** Writes the headers of a hit (Fastify reply or Node response) and returns the status to send. */
  private answer(stored: StoredResponse, req: IncomingMessage, res: FastifyReplyLike | ServerResponse): number {
    const route = stored.route ?? 'edge';
    if (stored.cacheControl !== undefined && isSharedCacheControl(stored.cacheControl)) {
      keepCookiesPrivate('raw' in res ? res.raw : res);
    }
    const ifNoneMatch = req.headers['if-none-match'];
    const notModified = ifNoneMatch !== undefined && etagMatches(ifNoneMatch, stored.etag);
    writeCacheHeaders(res, stored, 'HIT', stored.cacheControl, undefined, 0, !notModified);
    this.http.record(route, notModified ? 'not-modified' : 'hit', this.cache);
    return notModified ? 304 : stored.status;
  }

  /** Edge routes; a guard on one is a contradiction, refused at boot. */
  private edgeRoutes(): EdgeRoute[] {
    const routes: EdgeRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type) continue;
      for (const method of this.scanner.getAllMethodNames(type.prototype)) {
        const handler = (type.prototype as Record<string, () => unknown>)[method]!;
        const options = this.reflector.getAllAndOverride<CacheRouteOptions | false | undefined>(CACHE_ROUTE_METADATA, [
          handler,
          type,
        ]);
        if (!options || !options.edge) continue;
        const name = `${type.name}.${method}`;
        if (this.reflector.getAllAndMerge<unknown[]>(GUARDS_METADATA, [handler, type]).length > 0) {
          throw new CacheConfigError(
            `${name} is an edge route but has guards; edge hits would skip them. Remove edge: true or the guard.`,
          );
        }
        routes.push({ name, handler, skipGlobalGuards: options.edge === 'skip-global-guards' });
      }
    }
    return routes;
  }
}
