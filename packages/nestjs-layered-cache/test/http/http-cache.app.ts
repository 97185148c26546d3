import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Header,
  Headers,
  HttpCode,
  Injectable,
  Module,
  NotFoundException,
  ServiceUnavailableException,
  Param,
  Patch,
  Query,
  Req,
  Res,
  StreamableFile,
  UseGuards,
  type DynamicModule,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { CacheEvict, CacheModule, CacheRoute, type CacheModuleOptions } from '../../src/index.js';

export type AdapterName = 'express' | 'fastify';

/** The "database" of the scenario, with a count of handler calls per route. */
@Injectable()
export class ItemStore {
  readonly items = new Map<string, { id: string; name: string }>([
    ['1', { id: '1', name: 'one' }],
    ['2', { id: '2', name: 'two' }],
    ['3', { id: '3', name: 'three' }],
  ]);
  readonly calls = new Map<string, number>();
  /** Holds /slow until released. */
  gate: Promise<void> = Promise.resolve();
  /** What /flaky does now: answer, fail like a database that is down (503), or say 404. */
  flaky: 'up' | 'down' | 'gone' = 'up';

  count(route: string): number {
    const n = (this.calls.get(route) ?? 0) + 1;
    this.calls.set(route, n);
    return n;
  }
}

/** `Authorization: Bearer <user>@<tenant>` authenticates; anything else is anonymous. */
@Injectable()
class BearerGuard implements CanActivate {
  constructor(private readonly store: ItemStore) {}

  canActivate(context: ExecutionContext): boolean {
    this.store.count('guard');
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: object }>();
    const match = /^Bearer (\w+)@(\w+)$/.exec(req.headers.authorization ?? '');
    if (match) req.user = { id: match[1], tenantId: match[2] };
    return true;
  }
}

type AuthedRequest = { user?: { id: string; tenantId: string } };

@Controller('items')
class ItemsController {
  constructor(private readonly store: ItemStore) {}

  @Get()
  @CacheRoute({ tags: ['items'], query: ['a', 'b'] })
  list(@Query() query: Record<string, string>) {
    return { query, calls: this.store.count('list'), items: [...this.store.items.values()] };
  }

  @Get(':id')
  @CacheRoute({ tags: ['item:{params.id}'] })
  get(@Param('id') id: string) {
    this.store.count(`get:${id}`);
    const item = this.store.items.get(id);
    if (!item) throw new NotFoundException(`No item ${id}`);
    return item;
  }

  @Get(':id/edge')
  // BearerGuard, the global guard, lets everyone in: this route may skip it.
  @CacheRoute({ edge: 'skip-global-guards', tags: ['item:{params.id}'] })
  edge(@Param('id') id: string) {
    return this.get(id);
  }

  @Patch(':id')
  @CacheEvict({ tags: ['item:{params.id}', 'items'] })
  patch(@Param('id') id: string, @Body() body: { name: string }) {
    const item = this.store.items.get(id);
    if (!item) throw new NotFoundException(`No item ${id}`);
    item.name = body.name;
    return item;
  }
}

@Controller()
class ScenarioController {
  constructor(private readonly store: ItemStore) {}

  @Get('me')
  @CacheRoute({ scope: 'user' })
  me(@Req() req: AuthedRequest) {
    return { user: req.user?.id ?? null, calls: this.store.count('me') };
  }

  @Get('tenant')
  @CacheRoute({ scope: 'tenant' })
  tenant(@Req() req: AuthedRequest) {
    return { tenant: req.user?.tenantId ?? null, calls: this.store.count('tenant') };
  }

  @Get('public')
  @CacheRoute({ scope: 'public', ttl: 30_000, grace: 10_000 })
  publicInfo() {
    return { calls: this.store.count('public') };
  }

  @Get('greeting')
  @CacheRoute({ vary: ['Accept-Language'] })
  greeting(@Headers('accept-language') language = 'en') {
    return { greeting: language.startsWith('fr') ? 'bonjour' : 'hello', calls: this.store.count('greeting') };
  }

  @Get('slow')
  @CacheRoute()
  async slow() {
    const calls = this.store.count('slow');
    await this.store.gate;
    return { calls };
  }

  @Get('flaky')
  @CacheRoute({ scope: 'public', ttl: 150, failSafe: 60_000, query: ['v'] })
  flaky() {
    if (this.store.flaky === 'down') throw new ServiceUnavailableException('database unavailable');
    if (this.store.flaky === 'gone') throw new NotFoundException('no such thing any more');
    return { calls: this.store.count('flaky') };
  }

  @Get('stale')
  @CacheRoute({ ttl: 150, grace: 60_000 })
  stale() {
    return { calls: this.store.count('stale') };
  }

  @Get('text')
  @CacheRoute()
  @Header('Content-Type', 'text/csv; charset=utf-8')
  text() {
    return `a,b\n1,${this.store.count('text')}\n`;
  }

  @Get('accepted')
  @CacheRoute()
  @HttpCode(203)
  accepted() {
    return { calls: this.store.count('accepted') };
  }

  @Get('file')
  @CacheRoute()
  file() {
    this.store.count('file');
    return new StreamableFile(Buffer.from('file-bytes'), { type: 'application/octet-stream' });
  }

  @Get('raw')
  @CacheRoute()
  raw(@Res() res: { send(body: string): void }) {
    this.store.count('raw');
    res.send('sent by the handler');
  }

  @Get('broken-tags')
  @CacheRoute({ tags: ['needs:{query.id}'] })
  brokenTags() {
    return { calls: this.store.count('broken-tags') };
  }

  @Get('uncached')
  uncached() {
    return { calls: this.store.count('uncached') };
  }

  @Get('opted-out')
  @CacheRoute(false)
  optedOut() {
    return { calls: this.store.count('opted-out') };
  }
}

@Module({
  controllers: [ItemsController, ScenarioController],
  providers: [ItemStore, { provide: APP_GUARD, useClass: BearerGuard }],
})
class ScenarioModule {}

@Controller('guarded')
@UseGuards(BearerGuard)
class GuardedEdgeController {
  @Get()
  @CacheRoute({ scope: 'public', edge: true })
  get() {
    return {};
  }
}

@Module({ controllers: [GuardedEdgeController], providers: [ItemStore] })
export class GuardedEdgeModule {}

/** A global auth guard that knows nothing of the cache: only `Authorization: Bearer ...` gets in. */
@Injectable()
class MembersOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return /^Bearer \w+@\w+$/.test(req.headers.authorization ?? '');
  }
}

@Controller('members')
class MembersController {
  @Get('news')
  @CacheRoute({ edge: true })
  news() {
    return { news: 'for members only' };
  }
}

/** `edge: true` under a global guard: the edge must stand aside, the interceptor still caches. */
@Module({ controllers: [MembersController], providers: [{ provide: APP_GUARD, useClass: MembersOnlyGuard }] })
export class GlobalGuardEdgeModule {}

/** The scenario app on Express or Fastify, listening on an ephemeral port. */
export async function bootScenario(
  adapter: AdapterName,
  cache: CacheModuleOptions & { globalHttpInterceptor?: boolean },
  scenario: Type = ScenarioModule,
): Promise<INestApplication> {
  const { globalHttpInterceptor, ...options } = cache;
  const root: DynamicModule = CacheModule.forRoot({ ...options, isGlobal: true, globalHttpInterceptor });
  const moduleRef = await Test.createTestingModule({ imports: [root, scenario] }).compile();
  const app =
    adapter === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter()) : moduleRef.createNestApplication();
  app.useLogger(false);
  await app.init();
  if (adapter === 'fastify') await (app.getHttpAdapter().getInstance() as { ready(): Promise<void> }).ready();
  return app;
}
