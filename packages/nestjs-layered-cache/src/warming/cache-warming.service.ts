import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker, type Job, type JobSchedulerJson } from 'bullmq';
import { CacheService } from '../cache.service.js';
import type { RedisClient } from '../redis/redis-client.factory.js';
import { CACHE_L2_INSPECTOR, CACHE_PREFIX, CACHE_REDIS, CACHE_STACK } from '../cache.internal-constants.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import type { CacheSetOptions } from '../core/cache-entry.js';
import type { CacheStack } from '../core/cache-stack.js';
import { assertDurations } from '../core/duration.js';
import type { BackgroundTask } from '../errors/background-task.js';
import type { L2Inspector } from '../l2/l2-inspector.js';
import { AccessTracker, type HotKey } from './access-tracker.js';
import { ReadThroughRegistry } from './read-through.registry.js';
import { RunContext } from './warm-context.js';
import { describeWarmJob } from './warm-job.status.js';
import { schedulerId, WarmSchedules } from './warm-schedules.js';
import { WarmerRegistry, warmJobOptions } from './warmer-registry.explorer.js';
import { CACHE_WARMING_OPTIONS } from './warming.constants.js';
import type { CacheWarmingOptions, WarmContext, WarmJobData, WarmJobResult } from './warming.interface.js';

export const REFRESH_AHEAD = 'refresh-ahead';

export interface WarmerInfo {
  name: string;
  schedule: string | number | null;
  priority: number | null;
  onStartup: boolean;
  /** Epoch ms of the next scheduled run, when scheduled. */
  nextRun: number | null;
  last: { at: number; status: 'completed' | 'failed'; items?: number; durationMs?: number; error?: string } | null;
}

/**
 * Warming on BullMQ: one `cache-warm` queue, job schedulers for scheduled warmers (one job per tick
 * whatever the number of instances), a worker per instance, startup runs once per deployment, and
 * the predictive refresh-ahead warmer over the access tracker's hot keys.
 */
@Injectable()
export class CacheWarmingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CacheWarming');
  readonly queue: Queue<WarmJobData, WarmJobResult>;
  private worker: Worker<WarmJobData, WarmJobResult> | undefined;
  private tracker: AccessTracker | undefined;
  private readonly background: BackgroundTask;
  private readonly readThrough = new ReadThroughRegistry();
  private readonly lastKey: string;
  private stopTracking: (() => void) | undefined;
  /** The cache module's client: last results, startup claims, the access tracker. */
  private readonly redis: RedisClient;
  /** BullMQ's connection (same servers as the cache's, with a queue's settings); closed last. */
  private readonly queueClient: RedisClient;
  /** Schedulers and startup runs in Redis, redone whenever it reconnects. */
  private readonly schedules: WarmSchedules;
  /** ms an admin request waits for the queue (its connection holds commands while Redis is down). */
  readonly queueWait: number;

  constructor(
    @Inject(CACHE_WARMING_OPTIONS) private readonly options: CacheWarmingOptions,
    @Inject(CACHE_PREFIX) private readonly prefix: string,
    @Inject(CacheService) private readonly cache: CacheService,
    @Inject(CACHE_STACK) private readonly stack: CacheStack,
    @Inject(CACHE_L2_INSPECTOR) private readonly inspector: L2Inspector | null,
    @Inject(WarmerRegistry) private readonly registry: WarmerRegistry,
    @Inject(CACHE_REDIS) cacheRedis: RedisConnection | null,
  ) {
    if (!cacheRedis)
      throw new CacheConfigError('CacheWarmingModule needs the cache module to have Redis (redis: { url })');
    const refreshMins = { every: 1, threshold: 0, halfLife: 1 };
    assertDurations('CacheWarmingModule refreshAhead', options.refreshAhead || {}, refreshMins);
    this.redis = cacheRedis.client;
    this.queueWait = cacheRedis.connectTimeout;
    this.queueClient = cacheRedis.createQueueClient();
    this.queue = new Queue(options.queueName ?? 'cache-warm', {
      connection: this.queueClient,
      prefix: options.queuePrefix ?? `${prefix}-bull`,
    });
    this.lastKey = `${options.queuePrefix ?? `${prefix}-bull`}:${this.queue.name}:warmers-last`;
    this.background = stack.backgroundTask('Cache warming queue', 'warming', this.logger);
    // Without a listener an 'error' event is thrown, and ends the process.
    this.queue.on('error', (error) => this.background.failed(error));
    this.schedules = new WarmSchedules(
      this.queue,
      registry,
      this.queueClient,
      this.redis,
      (deployment, warmer) => `${this.lastKey}:startup:${deployment}:${warmer}`,
      this.background,
      this.logger,
      cacheRedis.connectTimeout,
    );
  }

  /**
   * Registers how keys matching `pattern` (a glob, in the root namespace or `namespace`) are
   * loaded, so refresh-ahead can reload them before they expire.
   */
  register(
    pattern: string,
    loader: (key: string) => unknown,
    options?: CacheSetOptions | ((key: string) => CacheSetOptions),
    namespace?: string,
  ): void {
    this.readThrough.register(pattern, loader, options, namespace ?? '');
  }

  async onApplicationBootstrap(): Promise<void> {
    this.registry.discover();
    const refresh = this.options.refreshAhead === false ? undefined : (this.options.refreshAhead ?? {});
    if (refresh) {
      this.tracker = new AccessTracker(
        this.redis,
        `${this.prefix}:~hot`,
        {
          sample: refresh.sample ?? 10,
          halfLife: refresh.halfLife ?? 600_000,
        },
        this.stack.backgroundTask('Hot-key tracking', 'hot-keys', this.logger),
      );
      const tracker = this.tracker;
      // Reads are announced only while someone listens: without refresh-ahead they cost nothing.
      this.stopTracking = this.cache.on('access', (read) => tracker.record(read.namespace, read.key));
      this.registry.add({ name: REFRESH_AHEAD, schedule: refresh.every ?? 10_000, attempts: 1 }, (ctx) =>
        this.refreshAhead(ctx, refresh.top ?? 100, refresh.threshold ?? 30_000),
      );
    }
    await this.schedules.start();
    this.worker = new Worker<WarmJobData, WarmJobResult>(this.queue.name, (job) => this.process(job), {
      connection: this.queueClient,
      prefix: this.queue.opts.prefix,
      concurrency: this.options.workerConcurrency ?? 1,
    });
    // Recording a failure is Redis work too; its own failure must not become unhandled.
    this.worker.on('failed', (job, error) => {
      this.failed(job, error).catch((recordError: unknown) => this.background.failed(recordError));
    });
    // Connection errors repeat while Redis is down: counted, logged once per outage.
    this.worker.on('error', (error) => this.background.failed(error));
    this.worker.on('ready', () => this.background.succeeded());

    if (this.options.startup !== 'manual') await this.runStartupWarmers();
    this.logger.log(
      `${this.registry.all().length} cache warmer(s): ${this.registry
        .all()
        .map((w) => w.options.name)
        .join(', ')}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.schedules.stop();
    this.stopTracking?.();
    await this.tracker?.flush();
    this.tracker?.close();
    await this.worker?.close();
    await this.queue.close();
    await this.queueClient.quit().catch(() => this.queueClient.disconnect());
  }

  /** Enqueues the named warmers (all when none named) now; returns their job ids. */
  async enqueue(names?: readonly string[]): Promise<{ warmer: string; jobId: string }[]> {
    const warmers = names?.length ? names.map((n) => this.registry.get(n)!) : this.registry.all();
    const jobs = await Promise.all(
      warmers.map((w) => this.queue.add('warm', { warmer: w.options.name, reason: 'manual' }, warmJobOptions(w))),
    );
    return jobs.map((job, i) => ({ warmer: warmers[i]!.options.name, jobId: job.id! }));
  }

  /** Names not registered among `names`. */
  unknown(names: readonly string[]): string[] {
    return names.filter((n) => !this.registry.get(n));
  }

  known(): string[] {
    return this.registry.all().map((w) => w.options.name);
  }

  async job(id: string): Promise<Record<string, unknown> | undefined> {
    const job = await this.queue.getJob(id);
    return job && describeWarmJob(this.queue, job);
  }

  async warmers(): Promise<WarmerInfo[]> {
    const [schedulers, last] = await Promise.all([
      this.queue.getJobSchedulers(0, -1),
      this.redis.hgetall(this.lastKey),
    ]);
    const next = new Map(schedulers.map((s: JobSchedulerJson) => [s.key, typeof s.next === 'number' ? s.next : null]));
    return this.registry.all().map(({ options }) => ({
      name: options.name,
      schedule: options.schedule ?? null,
      priority: options.priority ?? null,
      onStartup: options.onStartup ?? false,
      nextRun: next.get(schedulerId(options.name)) ?? null,
      last: last[options.name] ? (JSON.parse(last[options.name]!) as WarmerInfo['last']) : null,
    }));
  }

  /** Warm jobs currently waiting or running, for the dashboard. */
  async running(): Promise<Record<string, unknown>[]> {
    const jobs = await this.queue.getJobs(['active', 'waiting', 'prioritized', 'delayed'], 0, 20);
    return Promise.all(jobs.map((job) => describeWarmJob(this.queue, job)));
  }

  async hot(n = 20): Promise<HotKey[]> {
    await this.tracker?.flush();
    return this.tracker ? this.tracker.top(n) : [];
  }

  /**
   * `onStartup` warmers, once per deployment (first claim wins); at bootstrap unless `startup:
   * 'manual'`. Never rejects and waits for Redis at most the connect timeout: while Redis is down
   * the claims are made once it is back.
   */
  async runStartupWarmers(): Promise<void> {
    await this.schedules.runStartup(this.options.deploymentId ?? process.env.DEPLOYMENT_ID ?? 'default');
  }

  private async process(job: Job<WarmJobData, WarmJobResult>): Promise<WarmJobResult> {
    const warmer = this.registry.get(job.data.warmer);
    if (!warmer) throw new Error(`No warmer named "${job.data.warmer}" on this instance`);
    const started = Date.now();
    const ctx = new RunContext(warmer.options.name, this.cache, warmer.options.concurrency ?? 4, (done, total) =>
      job.updateProgress({ done, total, percent: total > 0 ? Math.round((done / total) * 100) : 100 }),
    );
    await warmer.run(ctx);
    const result = { items: ctx.items, durationMs: Date.now() - started };
    await this.remember(warmer.options.name, { at: Date.now(), status: 'completed', ...result });
    // On the cache module's events (metrics count them); a throwing listener is isolated there.
    this.cache.emit('warming:run', { warmer: warmer.options.name, status: 'completed', ...result });
    return result;
  }

  private async failed(job: Job<WarmJobData, WarmJobResult> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn(
      `Warmer "${job.data.warmer}" failed (attempt ${job.attemptsMade}${final ? ', giving up' : ''}): ${error.message}`,
    );
    if (!final) return;
    await this.remember(job.data.warmer, { at: Date.now(), status: 'failed', error: error.message }).catch(
      () => undefined,
    );
    this.cache.emit('warming:run', { warmer: job.data.warmer, status: 'failed', items: 0, durationMs: 0 });
  }

  private async remember(name: string, last: NonNullable<WarmerInfo['last']>): Promise<void> {
    await this.redis.hset(this.lastKey, name, JSON.stringify(last));
  }

  /** Reloads the hottest registered keys whose freshness runs out within `threshold` ms. */
  private async refreshAhead(ctx: WarmContext, top: number, threshold: number): Promise<void> {
    if (!this.tracker || !this.inspector || this.readThrough.size === 0) return;
    await this.tracker.flush();
    const root = this.cache.namespaceName;
    const candidates = (await this.tracker.top(top))
      .map((hot) => {
        const relative = hot.namespace === root ? '' : hot.namespace.slice(root.length + 1);
        return { hot, relative, entry: this.readThrough.find(relative, hot.key) };
      })
      .filter((c) => c.entry !== undefined);
    const left = await this.inspector.freshnessLeft(
      candidates.map((c) => (c.relative ? this.cache.namespace(c.relative) : this.cache).fullKey(c.hot.key)),
    );
    const due = candidates.filter((_, i) => left[i] === undefined || left[i]! < threshold);
    // One key that no longer loads (deleted row) must not stop the others.
    await ctx.each(due, ({ hot, relative, entry }) =>
      ctx
        .warm(hot.key, () => entry!.loader(hot.key), { ...entry!.options(hot.key), namespace: relative || undefined })
        .catch(() => undefined),
    );
  }
}
