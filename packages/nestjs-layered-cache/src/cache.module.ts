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
import type { CacheModuleOptions } from './cache-options.interface.js';
import { validateCacheOptions } from './cache-options.schema.js';
import {
  asyncDefinition,
  CACHE_MODULE_OPTIONS,
  type CacheModuleAsyncOptions,
  ConfigurableModuleClass,
  type OPTIONS_TYPE,
} from './cache.module-definition.js';
import {
  CACHE_BUS,
  CACHE_L2_INSPECTOR,
  CACHE_PREFIX,
  CACHE_REDIS,
  CACHE_ROOT_NAMESPACE,
  CACHE_STACK,
} from './cache.internal-constants.js';
import { L2Inspector } from './l2/l2-inspector.js';
import { CacheBus } from './bus/index.js';
import { CacheDecoratorsExplorer } from './decorators/index.js';
import { DiscoveryModule } from '@nestjs/core';
import { HttpCacheContext } from './http/http-cache.context.js';
import { HttpCacheEdge } from './http/http-cache.edge.js';
import { CacheService } from './cache.service.js';
import { CacheStack } from './core/cache-stack.js';
import type { BackgroundTask } from './errors/background-task.js';
import { isOutage } from './core/fail-safe.js';
import { NamespacePath } from './core/namespace-path.js';
import { defaultKeyGroup } from './events/key-group.js';
import { L1Cache } from './l1/l1-cache.js';
import { L2Cache } from './l2/l2-cache.js';
import { RedisConnection } from './redis/redis-connection.js';
import { PayloadCodec } from './serialization/payload.codec.js';
import { V8Serializer } from './serialization/v8.serializer.js';

const MiB = 1024 * 1024;
/** How long entries are kept for fail-safe, ms: `failSafe.maxStale`, one hour when on without it, else 0. */
const failSafeWindow = ({ failSafe }: CacheModuleOptions): number => (failSafe ? (failSafe.maxStale ?? 3_600_000) : 0);

/**
 * `CacheModule.forRoot({ redis: { url }, ttl: 60_000 })` or `forRootAsync({ useFactory, inject })`
 * (`register`/`registerAsync` are aliases, as in `@nestjs/cache-manager`).
 * Pass `isGlobal: true` to inject `CacheService` everywhere without importing the module again.
 */
@Module({
  providers: [
    {
      provide: CACHE_REDIS,
      inject: [CACHE_MODULE_OPTIONS],
      useFactory: (options: CacheModuleOptions): RedisConnection | null => {
        validateCacheOptions(options);
        return options.redis ? new RedisConnection(options.redis) : null;
      },
    },
    {
      // First segment of every key and channel; a hash tag on a cluster (RedisConnection.keyPrefix).
      provide: CACHE_PREFIX,
      inject: [CACHE_MODULE_OPTIONS, CACHE_REDIS],
      useFactory: (options: CacheModuleOptions, redis: RedisConnection | null) =>
        redis ? redis.keyPrefix(options.prefix ?? 'cache') : (options.prefix ?? 'cache'),
    },
    {
      provide: CACHE_ROOT_NAMESPACE,
      inject: [CACHE_MODULE_OPTIONS, CACHE_PREFIX],
      useFactory: (options: CacheModuleOptions, prefix: string) =>
        NamespacePath.root(prefix, options.namespace ?? 'default'),
    },
    {
      provide: CACHE_STACK,
      inject: [CACHE_MODULE_OPTIONS, CACHE_REDIS, CACHE_PREFIX],
      useFactory: (options: CacheModuleOptions, redis: RedisConnection | null, prefix: string) =>
        createStack(options, redis, prefix),
    },
    {
      provide: CACHE_BUS,
      inject: [CACHE_MODULE_OPTIONS, CACHE_REDIS, CACHE_STACK, CACHE_PREFIX],
      useFactory: (options: CacheModuleOptions, redis: RedisConnection | null, stack: CacheStack, prefix: string) => {
        // The bus exists to keep L1s honest: without L1 or without Redis there is nothing to do.
        if (!redis || options.l1 === false || options.bus === false) return null;
        const channel = `${prefix}:~bus`;
        const { heartbeat, missedBeats } = typeof options.bus === 'object' ? options.bus : {};
        const logger = new Logger('CacheModule');
        const bus = new CacheBus(redis.client, channel, stack.busListener, logger, heartbeat, missedBeats);
        stack.attachBus(bus);
        return bus;
      },
    },
    {
      provide: CACHE_L2_INSPECTOR,
      inject: [CACHE_REDIS, CACHE_PREFIX],
      useFactory: (redis: RedisConnection | null, prefix: string) =>
        redis ? new L2Inspector(redis.client, prefix) : null,
    },
    {
      provide: HttpCacheContext,
      inject: [CACHE_MODULE_OPTIONS],
      useFactory: (options: CacheModuleOptions) =>
        new HttpCacheContext(options.http ?? {}, {
          ttl: options.ttl ?? 60_000,
          grace: options.grace ?? 0,
          failSafe: failSafeWindow(options),
        }),
    },
    CacheService,
    HttpCacheEdge,
    CacheDecoratorsExplorer,
  ],
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
    await this.bus?.start(this.redis?.connectTimeout ?? 2000);
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

function createStack(options: CacheModuleOptions, redis: RedisConnection | null, prefix: string): CacheStack {
  const l1 =
    options.l1 === false
      ? undefined
      : new L1Cache({
          maxEntries: options.l1?.maxEntries ?? 10_000,
          maxBytes: options.l1?.maxBytes ?? 64 * MiB,
          maxEntryBytes: options.l1?.maxEntryBytes ?? MiB,
          policy: options.l1?.policy ?? 'lru',
        });
  const l2 = redis ? new L2Cache(redis.client, prefix, options.fillWindow ?? 60_000) : undefined;
  const failSafe = options.failSafe || undefined;
  const compressAbove = options.compressAbove === false ? Infinity : (options.compressAbove ?? 16_384);
  const stack = new CacheStack(
    {
      ttl: options.ttl ?? 60_000,
      grace: options.grace ?? 0,
      // A load running past the fill window could not store its result anyway.
      loaderTimeout: options.loaderTimeout ?? options.fillWindow ?? 60_000,
      maxValueBytes: options.maxValueBytes ?? 8 * MiB,
      keyGroup: options.keyGroup ?? defaultKeyGroup,
      rootNamespace: options.namespace ?? 'default',
      maxTransactionHold: options.fillWindow ?? 60_000,
      failSafe: failSafeWindow(options),
      failSafeRetry: {
        retryAfter: failSafe?.retryAfter ?? 5_000,
        maxRetryAfter: failSafe?.maxRetryAfter ?? 60_000,
        when: failSafe?.when ?? isOutage,
      },
      softTimeout: options.redis ? (options.redis.softTimeout ?? 250) : 0,
      lock:
        options.lock === false ? false : { ttl: options.lock?.ttl ?? 10_000, maxWait: options.lock?.maxWait ?? 5_000 },
      circuit:
        options.circuitBreaker === false
          ? false
          : {
              threshold: options.circuitBreaker?.threshold ?? 5,
              window: options.circuitBreaker?.window ?? 10_000,
              cooldown: options.circuitBreaker?.cooldown ?? 2_000,
            },
    },
    new PayloadCodec(options.serializer ?? new V8Serializer(), compressAbove),
    l1,
    l2,
    new Logger('CacheModule'),
  );
  return stack;
}
