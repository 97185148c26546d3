/**
 * One benchmark server: `node http-bench.server.js <express|fastify> <scenario>` (see SCENARIOS in
 * http.bench.ts).
 * Prints `listening <port>` once ready. Runs in its own process so the load generator does not
 * share its event loop. Every scenario serves GET /products/:id.
 */
import 'reflect-metadata';
import KeyvRedis from '@keyv/redis';
import { CacheInterceptor, CacheModule as NestCacheModule, CacheTTL as NestCacheTTL } from '@nestjs/cache-manager';
import {
  Controller,
  type ExecutionContext,
  Get,
  Injectable,
  Module,
  type NestInterceptor,
  Param,
  ParseIntPipe,
  UseInterceptors,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { of, type Observable } from 'rxjs';
import { Column, Entity, PrimaryColumn, type Repository } from 'typeorm';
import { CacheModule, CacheRoute, CacheService } from '../../src/index.js';

@Entity('bench_products')
export class BenchProduct {
  @PrimaryColumn() id!: number;
  @Column() sku!: string;
  @Column() name!: string;
  @Column() description!: string;
  @Column('numeric', { precision: 10, scale: 2 }) price!: string;
  @Column() active!: boolean;
}

const constant = {
  id: 42,
  sku: 'SKU-000042',
  name: 'Product 42',
  description: 'Demo product number 42 of the sample catalog.',
  price: '12.50',
  active: true,
};

@Controller('products')
class BareController {
  @Get(':id')
  get() {
    return constant;
  }
}

abstract class ProductsFromDb {
  constructor(@InjectRepository(BenchProduct) private readonly products: Repository<BenchProduct>) {}

  protected load(id: number): Promise<BenchProduct | null> {
    return this.products.findOneBy({ id });
  }
}

@Controller('products')
class UncachedController extends ProductsFromDb {
  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number) {
    return this.load(id);
  }
}

@Controller('products')
class OursController extends ProductsFromDb {
  @Get(':id')
  @CacheRoute({ ttl: 600_000, tags: ['product:{params.id}'], scope: 'public' })
  get(@Param('id', ParseIntPipe) id: number) {
    return this.load(id);
  }
}

@Controller('products')
class EdgeController extends ProductsFromDb {
  @Get(':id')
  @CacheRoute({ ttl: 600_000, tags: ['product:{params.id}'], scope: 'public', edge: true })
  get(@Param('id', ParseIntPipe) id: number) {
    return this.load(id);
  }
}

/** The least any interceptor costs: answers a constant without calling the handler. */
@Injectable()
class ConstantInterceptor implements NestInterceptor {
  private readonly body = JSON.stringify(constant);

  intercept(context: ExecutionContext): Observable<string> {
    type SetHeader = (name: string, value: string) => void;
    const res = context.switchToHttp().getResponse<{ raw?: object; header?: SetHeader; setHeader?: SetHeader }>();
    if (res.raw) res.header!('Content-Type', 'application/json; charset=utf-8');
    else res.setHeader!('Content-Type', 'application/json; charset=utf-8');
    return of(this.body);
  }
}

@Controller('products')
class InterceptedController {
  @Get(':id')
  @UseInterceptors(ConstantInterceptor)
  get() {
    return constant;
  }
}

@Controller('products')
@UseInterceptors(CacheInterceptor)
class StockController extends ProductsFromDb {
  @Get(':id')
  @NestCacheTTL(600_000)
  get(@Param('id', ParseIntPipe) id: number) {
    return this.load(id);
  }
}

function scenarioModule(scenario: string, redisUrl: string, databaseUrl: string): Type {
  const database = TypeOrmModule.forRoot({ type: 'postgres', url: databaseUrl, entities: [BenchProduct] });
  const repository = TypeOrmModule.forFeature([BenchProduct]);
  // BENCH_HTTP_HEARTBEAT=0 for instruction counts under valgrind, where beats come late and L1 is bypassed.
  const heartbeat =
    process.env.BENCH_HTTP_HEARTBEAT === undefined ? undefined : Number(process.env.BENCH_HTTP_HEARTBEAT);
  const ours = CacheModule.forRoot({
    isGlobal: true,
    prefix: `bench-http-${scenario}`,
    redis: { url: redisUrl },
    ...(heartbeat === undefined ? {} : { bus: { heartbeat } }),
  });
  const imports = {
    bare: [],
    intercepted: [],
    uncached: [database, repository],
    ours: [database, repository, ours],
    edge: [database, repository, ours],
    stock: [database, repository, NestCacheModule.register({ stores: [new KeyvRedis(redisUrl)] })],
  }[scenario];
  const controller = {
    bare: BareController,
    intercepted: InterceptedController,
    uncached: UncachedController,
    ours: OursController,
    edge: EdgeController,
    stock: StockController,
  }[scenario];
  if (!imports || !controller) throw new Error(`Unknown scenario ${scenario}`);
  @Module({ imports, controllers: [controller] })
  class BenchModule {}
  return BenchModule;
}

async function main(): Promise<void> {
  const [adapter = 'express', scenario = 'bare'] = process.argv.slice(2);
  const module = scenarioModule(scenario, process.env.BENCH_REDIS_URL!, process.env.BENCH_DATABASE_URL!);
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  if (scenario === 'ours' || scenario === 'edge') {
    // What the cache answered, for the driver to check every request after the first was an L1 hit.
    const cache = app.get(CacheService);
    process.once('SIGTERM', () => {
      const { http, l1, l2, misses } = cache.stats();
      const counts = { httpHits: http.hits, httpMisses: http.misses, l1Hits: l1?.hits, l2Hits: l2?.hits, misses };
      process.stdout.write(`served ${JSON.stringify(counts)}\n`);
    });
  }
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.stdout.write(`listening ${port}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
