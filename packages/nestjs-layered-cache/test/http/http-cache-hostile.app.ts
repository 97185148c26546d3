import { Controller, Get, Injectable, Module, Query, Req, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import session from 'express-session';
import { inject } from 'vitest';
import { CacheModule, CacheRoute } from '../../src/index.js';
import { uniquePrefix } from '../helpers/cache-instance.js';
import type { AdapterName } from './http-cache.app.js';

export const SESSION_SECRET = 'a-session-secret-of-at-least-32-characters';

@Injectable()
export class Calls {
  readonly count = new Map<string, number>();
  add(route: string): number {
    const n = (this.count.get(route) ?? 0) + 1;
    this.count.set(route, n);
    return n;
  }
}

type SessionRequest = { session: { set?(key: string, value: unknown): void; visits?: number } };

@Controller()
class HostileController {
  constructor(private readonly calls: Calls) {}

  /** Starts a session: afterwards the rolling session middleware sets a cookie on every response. */
  @Get('start')
  start(@Req() req: SessionRequest) {
    if (req.session.set) req.session.set('visits', 1);
    else req.session.visits = 1;
    return { started: true };
  }

  @Get('catalog')
  @CacheRoute({ scope: 'public', query: ['page'] })
  catalog(@Query('page') page = '1', @Query() all: Record<string, unknown>) {
    return { page, params: Object.keys(all).length, calls: this.calls.add('catalog') };
  }

  @Get('plain')
  @CacheRoute({ scope: 'public' })
  plain() {
    return { calls: this.calls.add('plain') };
  }

  @Get('edge')
  @CacheRoute({ scope: 'public', edge: true })
  edge() {
    return { calls: this.calls.add('edge') };
  }
}

@Module({ controllers: [HostileController], providers: [Calls] })
class HostileModule {}

/** Public cached routes behind a rolling session middleware (express-session / @fastify/session). */
export async function bootHostile(adapter: AdapterName): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      CacheModule.forRoot({
        isGlobal: true,
        prefix: uniquePrefix(`hostile-${adapter}`),
        redis: { url: inject('redisUrl') },
      }),
      HostileModule,
    ],
  }).compile();
  if (adapter === 'fastify') {
    const app = moduleRef.createNestApplication(new FastifyAdapter());
    app.useLogger(false);
    const instance = app.getHttpAdapter().getInstance();
    await instance.register(fastifyCookie);
    await instance.register(fastifySession, {
      secret: SESSION_SECRET,
      cookie: { secure: false },
      rolling: true,
      saveUninitialized: false,
    });
    await app.init();
    await instance.ready();
    return app;
  }
  const app = moduleRef.createNestApplication();
  app.useLogger(false);
  app.use(session({ secret: SESSION_SECRET, rolling: true, resave: false, saveUninitialized: false }));
  await app.init();
  return app;
}
