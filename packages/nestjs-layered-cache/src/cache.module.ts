import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type NestModule,
  Optional,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { CacheBus } from './bus/index.js';
import {
  asyncDefinition,
  type CacheModuleAsyncOptions,
  ConfigurableModuleClass,
  type OPTIONS_TYPE,
} from './cache.module-definition.js';
import { CACHE_BUS, CACHE_L2_INSPECTOR, CACHE_PREFIX, CACHE_REDIS, CACHE_STACK } from './cache.internal-constants.js';
import { cacheProviders } from './cache.providers.js';
import { CacheService } from './cache.service.js';
import type { CacheStack } from './core/cache-stack.js';
import { CacheDecoratorsExplorer } from './decorators/index.js';
import type { BackgroundTask } from './errors/background-task.js';
import { HttpCacheContext } from './http/http-cache.context.js';
import { HttpCacheEdge } from './http/http-cache.edge.js';
import type { RedisConnection } from './redis/redis-connection.js';

/**
 * `CacheModule.forRoot({ redis: { url }, ttl: 60_000 })` or `forRootAsync({ useFactory, inject })`
 * (`register`/`registerAsync` are aliases, as in `@nestjs/cache-manager`).
 * Pass `isGlobal: true` to inject `CacheService` everywhere without importing the module again.
 */
@Module({
  providers: [...cacheProviders, CacheService, HttpCacheEdge, CacheDecoratorsExplorer],
  imports: [DiscoveryModule],
  // CACHE_STACK is exported for the library's own integrations; not part of the API.
  // HttpCacheContext is what @CacheRoute's interceptor needs in the controller's module.
  // CACHE_L2_INSPECTOR and CACHE_PREFIX serve the admin module.
  exports: [CacheService, CACHE_STACK, HttpCacheContext, CACHE_L2_INSPECTOR, CACHE_PREFIX, CACHE_REDIS],
})
export class CacheModule extends ConfigurableModuleClass implements NestModule, OnModuleInit, OnApplicationShutdown {
  /** Replays invalidations that failed while Redis was down, as soon as it is back. */
  private readonly onRedisReady = () => this.replay.run(() => this.stack.flushPending());
  private readonly replay: BackgroundTask;

  constructor(
    @Inject(CACHE_STACK) private readonly stack: CacheStack,
    @Optional() @Inject(CACHE_REDIS) private readonly redis: RedisConnection | null,
    @Optional() @Inject(CACHE_BUS) private readonly bus: CacheBus | null,
    private readonly edge: HttpCacheEdge,
  ) {
    super();
    this.replay = stack.backgroundTask('Cache invalidation replay', 'replay', new Logger('CacheModule'));
  }

  /**
   * Options from a factory: `useFactory` + `inject`, or `useClass`/`useExisting` with a class
   * implementing `createCacheOptions()` (the `@nestjs/cache-manager` convention) or `create()`.
   */
  static override forRootAsync(options: CacheModuleAsyncOptions): DynamicModule {
    const { async, providers } = asyncDefinition(options);
    const definition = super.forRootAsync(async);
    return { ...definition, providers: [...(definition.providers ?? []), ...providers] };
  }

  /** `@nestjs/cache-manager`'s name for `forRoot`, so its module imports compile unchanged. */
  static register(options: typeof OPTIONS_TYPE): DynamicModule {
    return this.forRoot(options);
  }

  /** `@nestjs/cache-manager`'s name for `forRootAsync`. */
  static registerAsync(options: CacheModuleAsyncOptions): DynamicModule {
    return this.forRootAsync(options);
  }

  /** Runs before Nest registers routes: the only moment the edge can be put in front of them. */
  configure(): void {
    this.edge.install();
  }

  async onModuleInit(): Promise<void> {
    this.redis?.client.on('ready', this.onRedisReady);
    await this.redis?.connect();
    if (this.bus && this.redis) await this.bus.start(this.redis.connectTimeout);
  }

  async onApplicationShutdown(): Promise<void> {
    // A client passed in by the application outlives us: leave no listener of ours on it.
    this.redis?.client.off('ready', this.onRedisReady);
    // Last chance for invalidations that failed during an outage (bounded by the command timeout).
    await this.stack.flushPending();
    this.stack.stopReplays();
    await this.bus?.close();
    await this.redis?.close();
  }
}
