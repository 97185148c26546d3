import { Inject, Module, type MiddlewareConsumer, type NestModule, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import session from 'express-session';
import { durationProblems } from '../core/duration.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { CacheSessionModuleClass, SESSION_MODULE_OPTIONS } from './cache-session.module-definition.js';
import { generateSessionId } from './redis-session.store.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';
import { CACHE_SESSION_OPTIONS, SESSION_UNAVAILABLE, type CacheSessionOptions } from './session.options.js';
import { SessionService } from './session.service.js';

type Next = (error?: unknown) => void;

/** The secrets and the ttl are checked when the options are resolved (at boot, also for forRootAsync). */
function validated(options: CacheSessionOptions): CacheSessionOptions {
  const secrets = Array.isArray(options?.secret) ? options.secret : [options?.secret];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length < 16)) {
    throw new CacheConfigError('Session secrets must be strings of at least 16 characters (32+ in production)');
  }
  const problems = durationProblems(options, { ttl: 1 });
  if (problems.length > 0) throw new CacheConfigError(`Invalid CacheSessionModule options: ${problems.join('; ')}.`);
  return options;
}

/**
 * Redis sessions: on Express, express-session is installed for every route with our store and
 * cookie defaults that pass a review (httpOnly, SameSite=Lax, Secure in production, signed, a
 * 192-bit id, sliding TTL); with Fastify, register `@fastify/session` with `SessionService.store`.
 * When Redis cannot be asked, the request goes on without a session, marked so that routes that
 * need one answer 503. `CacheSessionModule.forRoot({ secret })` or `forRootAsync({ useFactory, inject })`.
 */
@Module({
  providers: [
    { provide: CACHE_SESSION_OPTIONS, inject: [SESSION_MODULE_OPTIONS], useFactory: validated },
    SessionService,
    RedisThrottlerStorage,
  ],
  exports: [SessionService, RedisThrottlerStorage],
})
export class CacheSessionModule extends CacheSessionModuleClass implements NestModule {
  constructor(
    @Inject(CACHE_SESSION_OPTIONS) private readonly options: CacheSessionOptions,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
  ) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    if (this.adapterHost?.httpAdapter?.getType() !== 'express') return;
    const ttl = this.sessions.store.ttl;
    const middleware = session({
      store: this.sessions.store,
      secret: this.options.secret,
      name: this.options.cookieName ?? 'sid',
      genid: generateSessionId,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: this.options.sameSite ?? 'lax',
        secure: this.options.secure ?? process.env.NODE_ENV === 'production',
        maxAge: ttl,
      },
    });
    consumer
      .apply((req: Record<string, unknown>, res: object, next: Next) =>
        middleware(req as never, res as never, (error?: unknown) => {
          if (!error) return next();
          req[SESSION_UNAVAILABLE] = true;
          next();
        }),
      )
      .forRoutes('*');
  }
}
