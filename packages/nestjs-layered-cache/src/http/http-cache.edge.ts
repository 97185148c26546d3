import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, HttpAdapterHost, MetadataScanner, Reflector } from '@nestjs/core';
import { CacheService } from '../cache.service.js';
import type { CacheView } from '../cache-view.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { writeCacheHeaders } from './cached-reply.js';
import { keepCookiesPrivate } from './cookie-privacy.js';
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
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body?: string): unknown;
}

/**
 * Answers in-memory hits of `@CacheRoute({ edge: true })` routes before the framework routes the
 * request (an Express middleware or a Fastify `onRequest` hook, installed ahead of every route),
 * skipping Nest's guard/interceptor/pipe pipeline. It serves only keys with the edge scope, which
 * only edge routes write, so no other route's entry can ever leave this way. Misses go on to the
 * route, whose interceptor fills the entry.
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
  ) {
    this.view = cache.namespace(http.namespace);
  }

  /** Called before routes are registered; installs nothing unless an edge route exists. */
  install(): void {
    const adapter = this.adapterHost?.httpAdapter;
    const routes = this.edgeRoutes();
    if (!adapter || routes.length === 0) return;
    const globalGuards = this.discovery.getProviders().filter((w) => String(w.token).startsWith('APP_GUARD'));
    if (globalGuards.length > 0) {
      this.logger.warn(
        `Edge routes (${routes.join(', ')}) answer cached hits before global guards run; make sure they are public.`,
      );
    }
    if (adapter.getType() === 'fastify') {
      (adapter.getInstance() as FastifyLike).addHook('onRequest', (request, reply, done) => {
        const found = this.find(request.raw);
        if (!found) return done();
        this.answer(
          found,
          request.raw,
          reply.raw,
          (name, value) => reply.header(name, value),
          (status, body) => {
            reply.code(status).send(body);
          },
        );
      });
    } else {
      adapter.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        const found = this.find(req);
        if (!found) return next();
        this.answer(
          found,
          req,
          res,
          (name, value) => res.setHeader(name, value),
          (status, body) => {
            res.statusCode = status;
            if (body !== undefined) res.setHeader('Content-Length', Buffer.byteLength(body));
            res.end(req.method === 'HEAD' ? undefined : body);
          },
        );
      });
    }
    this.logger.log(`Edge cache answering hits of ${routes.length} route(s) before routing`);
  }

  private find(req: IncomingMessage): StoredResponse | undefined {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    try {
      return this.view.peek<StoredResponse>(responseKey(canonicalTarget(req.url ?? '/'), '', EDGE_SCOPE));
    } catch {
      return undefined; // the route's own interceptor reports cache trouble
    }
  }

  private answer(
    stored: StoredResponse,
    req: IncomingMessage,
    res: ServerResponse,
    set: (name: string, value: string) => void,
    send: (status: number, body?: string) => void,
  ): void {
    const route = stored.route ?? 'edge';
    if (stored.cacheControl !== undefined) keepCookiesPrivate(res);
    writeCacheHeaders(set, stored, 'HIT', stored.cacheControl, undefined);
    if (etagMatches(req.headers['if-none-match'], stored.etag)) {
      this.http.record(route, 'not-modified', this.cache);
      return send(304);
    }
    this.http.record(route, 'hit', this.cache);
    set('Content-Type', stored.type);
    send(stored.status, stored.body);
  }

  /** Edge routes by name; a guard on one is a contradiction, refused at boot. */
  private edgeRoutes(): string[] {
    const names: string[] = [];
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
        names.push(name);
      }
    }
    return names;
  }
}
