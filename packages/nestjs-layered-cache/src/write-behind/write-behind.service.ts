import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CacheService } from '../cache.service.js';
import { CACHE_PREFIX, CACHE_REDIS, CACHE_STACK } from '../cache.internal-constants.js';
import type { CacheStack } from '../core/cache-stack.js';
import { assertDurations } from '../core/duration.js';
import type { BackgroundTask } from '../errors/background-task.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { entityTagName, entityTags } from '../tags/entity-tags.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { APPLIED_TABLE, WriteBehindApplier } from './write-behind.applier.js';
import { WRITE_BEHIND_OPTIONS } from './write-behind.constants.js';
import type { RowChange, WriteBehindOptions } from './write-behind.interface.js';
import type { WriteBehindBatchEvent, WriteBehindCounts } from './write-behind.events.js';
import { WriteBehindStore, type DeadBatch } from './write-behind.store.js';

interface Queue {
  name: string;
  target: new (...args: never[]) => object;
  store: WriteBehindStore;
  applier: WriteBehindApplier;
}

/**
 * Durable write-behind: a write is in Redis (as durable as its persistence) when `write` returns,
 * visible at once through `pending()`, and applied to the database later in batches — exactly
 * once, newest value last — by any instance's flusher. See the README for the guarantees.
 */
@Injectable()
export class WriteBehindService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('WriteBehind');
  private readonly background: BackgroundTask;
  private readonly queues = new Map<string, Queue>();
  private dataSource!: DataSource;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  /** A flush promised to callers who arrived while one was running; it starts when that one ends. */
  private flushAfter: Promise<void> | undefined;
  private closed = false;
  private prunedAt = 0;
  /** Counters since boot, all entities together (metrics have them per entity). */
  readonly stats = { writes: 0, overflows: 0, rowsApplied: 0, batchesApplied: 0, batchesFailed: 0, duplicates: 0 };
  private stopAnswering: (() => void) | undefined;

  constructor(
    @Inject(WRITE_BEHIND_OPTIONS) private readonly options: WriteBehindOptions,
    @Inject(CACHE_REDIS) private readonly connection: RedisConnection | null,
    @Inject(CACHE_PREFIX) private readonly prefix: string,
    @Inject(CacheService) private readonly cache: CacheService,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(CACHE_STACK) stack: CacheStack,
  ) {
    if (!connection) throw new CacheConfigError('Write-behind needs the cache module to have Redis (redis: { url })');
    assertDurations('CacheWriteBehindModule', options, { flushInterval: 1, lease: 1, drainTimeout: 0 });
    // A flush that fails (Redis stalled, database down) is retried at the next tick: counted in
    // cache_errors_total{operation="write-behind"}, logged once per outage, never thrown.
    this.background = stack.backgroundTask('Write-behind flush', 'write-behind', this.logger);
  }

  onModuleInit(): void {
    this.dataSource = this.moduleRef.get<DataSource>(getDataSourceToken(this.options.dataSource), { strict: false });
    for (const entity of this.options.entities) {
      const name = entity.name ?? entityTagName(entity.target.name);
      this.queues.set(name, {
        name,
        target: entity.target,
        store: new WriteBehindStore(this.connection!.client, `${this.prefix}:~wb:${name}`),
        applier: new WriteBehindApplier(this.dataSource, name, entity.target),
      });
    }
    this.timer = setInterval(() => this.background.run(() => this.flushDue()), this.options.flushInterval ?? 1000);
    this.timer.unref();
    // Gauges (queue depth, oldest wait, dead batches) are read from Redis when metrics ask.
    this.stopAnswering = this.cache.on('write-behind:counts', (request) => request.reply(this.counts()));
  }

  /** Replaces/merges fields of a row (last write wins per field). */
  write(entity: string, id: string | number, patch: Record<string, unknown>): Promise<void> {
    return this.change(entity, id, patch, {});
  }

  /** Adds `delta` to a numeric field (deltas of one row add up before they reach the database). */
  increment(entity: string, id: string | number, field: string, delta = 1): Promise<void> {
    return this.change(entity, id, {}, { [field]: delta });
  }

  /** Both at once, in one round trip. */
  async change(
    entity: string,
    id: string | number,
    set: Record<string, unknown>,
    increment: Record<string, number>,
  ): Promise<void> {
    const queue = this.queue(entity);
    const { seq, pending } = await queue.store.write(String(id), set, increment, this.options.maxPending ?? 100_000);
    if (seq >= 0) {
      this.stats.writes++;
      if (pending >= (this.options.batchSize ?? 500)) this.background.run(() => this.flushDue());
      return;
    }
    this.stats.overflows++;
    if (this.options.overflow === 'reject') {
      throw new ServiceUnavailableException(`The write-behind queue of ${entity} is full; try again later`);
    }
    await this.writeThrough(entity, id, set, increment);
  }

  /**
   * Applies a change synchronously: loads the row, applies it and saves it in one transaction,
   * so the subscriber invalidates its tags at commit (the normal path).
   */
  async writeThrough(
    entity: string,
    id: string | number,
    set: Record<string, unknown>,
    increment: Record<string, number> = {},
  ): Promise<void> {
    const queue = this.queue(entity);
    await this.dataSource.transaction(async (tx) => {
      const repo = tx.getRepository(queue.target);
      const meta = repo.metadata;
      const row = await repo.findOne({
        where: { [meta.primaryColumns[0]!.propertyName]: id } as never,
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) return;
      const target = row as Record<string, unknown>;
      Object.assign(target, set);
      for (const [field, delta] of Object.entries(increment)) target[field] = Number(target[field] ?? 0) + delta;
      await repo.save(row);
    });
  }

  /** What is waiting for the row (also batches being applied): overlay it on what the database says. */
  pending(entity: string, id: string | number): Promise<RowChange | undefined> {
    return this.queue(entity).store.pending(String(id));
  }

  /**
   * Flushes what is due now (one flush at a time per instance): full batches back to back, but a
   * batch that was not full ends the flush, so rows written meanwhile wait for the next tick and
   * a hot row is written about once per `flushInterval`, not once per read. Every change made
   * before the call is applied when it resolves: a flush already running may have taken its
   * batches before them, so one more runs after it (one, however many callers wait).
   */
  flush(): Promise<void> {
    if (this.flushing === undefined) return this.flushDue();
    this.flushAfter ??= this.flushing
      .catch(() => undefined)
      .then(() => {
        this.flushAfter = undefined;
        return this.flushDue();
      });
    return this.flushAfter;
  }

  /** The timer's flush, and a full batch's: joins one in progress (pacing, see `flush`). */
  private flushDue(): Promise<void> {
    this.flushing ??= this.flushAll(Infinity, false).finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async counts(): Promise<WriteBehindCounts[]> {
    return Promise.all([...this.queues.values()].map(async (q) => ({ entity: q.name, ...(await q.store.counts()) })));
  }

  async dead(entity?: string): Promise<(DeadBatch & { entity: string })[]> {
    const queues = entity ? [this.queue(entity)] : [...this.queues.values()];
    const lists = await Promise.all(
      queues.map(async (q) => (await q.store.deadBatches()).map((d) => ({ ...d, entity: q.name }))),
    );
    return lists.flat();
  }

  /** Puts dead batches back (all of an entity when `batches` is omitted); returns how many. */
  async replay(entity: string, batches?: readonly string[]): Promise<number> {
    const queue = this.queue(entity);
    const ids = batches ?? (await queue.store.deadBatches(10_000)).map((d) => d.id);
    let replayed = 0;
    for (const id of ids) if (await queue.store.replay(id)) replayed++;
    if (replayed > 0) this.background.run(() => this.flush());
    return replayed;
  }

  entities(): string[] {
    return [...this.queues.keys()];
  }

  /**
   * Drains within `drainTimeout`; the rest stays in Redis for the next start. Before (not on)
   * application shutdown: Nest closes the database and the Redis connections in their modules'
   * onApplicationShutdown, which may run before ours.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.stopAnswering?.();
    const budget = this.options.drainTimeout ?? 5000;
    const deadline = Date.now() + budget;
    const drain = ((this.flushAfter ?? this.flushing)?.catch(() => undefined) ?? Promise.resolve()).then(() =>
      this.flushAll(deadline, true),
    );
    // The deadline is checked between batches; a batch stuck in the database (a lock, a stalled
    // server) is cut here: its lease expires and it is applied again, exactly once, later.
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`not finished within drainTimeout (${budget} ms)`), budget);
    });
    const stopped = await Promise.race([
      drain.then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      cut,
    ]);
    clearTimeout(timer);
    if (stopped !== undefined) this.logger.warn(`Shutdown flush stopped: ${stopped}`);
    const left = (await this.counts().catch(() => [])).reduce((n, c) => n + c.pendingRows, 0);
    if (left > 0) this.logger.warn(`${left} pending row(s) stay in Redis for the next start`);
  }

  private queue(entity: string): Queue {
    const queue = this.queues.get(entity);
    if (!queue) throw new CacheConfigError(`No write-behind entity "${entity}"; known: ${this.entities().join(', ')}`);
    return queue;
  }

  private async flushAll(deadline: number, drain: boolean): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    for (const queue of this.queues.values()) {
      while (Date.now() < deadline) {
        const batch = await queue.store.take(batchSize, this.options.lease ?? 30_000);
        if (!batch) break;
        const applied = await this.applyBatch(queue, batch.id, batch.rows, batch.attempts);
        if (!applied && this.closed) return;
        // A retried batch may be small while fresh rows wait behind it: those still go now.
        if (!drain && batch.rows.size < batchSize && batch.attempts <= 1) break;
      }
    }
    if (Date.now() - this.prunedAt > 3_600_000) await this.prune();
  }

  private async applyBatch(
    queue: Queue,
    batch: string,
    rows: Map<string, RowChange>,
    attempts: number,
  ): Promise<boolean> {
    try {
      const outcome = await queue.applier.apply(batch, rows);
      if (outcome === 'duplicate') this.stats.duplicates++;
      await queue.store.finish(batch);
      this.stats.batchesApplied++;
      this.stats.rowsApplied += rows.size;
      // After the commit: cached views of these rows reload from the database.
      await this.cache.invalidateTags(
        [...rows.keys()].flatMap((id) => entityTags.row(queue.name, id)),
        'write-behind',
      );
      this.emit({ entity: queue.name, kind: 'applied', rows: rows.size });
      return true;
    } catch (error) {
      this.stats.batchesFailed++;
      const message = error instanceof Error ? error.message : String(error);
      const retry = await queue.store
        .fail(batch, 1000 * 2 ** Math.min(attempts - 1, 10), this.options.maxAttempts ?? 5, message)
        .catch(() => true);
      this.emit({ entity: queue.name, kind: retry ? 'failed' : 'dead', rows: rows.size });
      this.logger.warn(
        `Write-behind batch ${batch} (${rows.size} ${queue.name} rows) failed, attempt ${attempts}${retry ? '' : ': moved to the dead-letter list'}: ${message}`,
      );
      return false;
    }
  }

  /** Applied-batch ids are only needed while a batch can still be replayed. */
  private async prune(): Promise<void> {
    this.prunedAt = Date.now();
    await this.dataSource
      .query(`DELETE FROM ${APPLIED_TABLE} WHERE applied_at < now() - interval '7 days'`)
      .catch(() => undefined);
  }

  /** On the cache module's events (`write-behind:batch`; metrics count them); a throwing listener is isolated there. */
  private emit(event: WriteBehindBatchEvent): void {
    this.cache.emit('write-behind:batch', event);
  }
}
