import type { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { within } from '../core/within.js';
import type { BackgroundTask } from '../errors/background-task.js';
import type { RedisClient } from '../redis/redis-client.factory.js';
import type { WarmerRegistry } from './warmer-registry.explorer.js';
import { warmJobOptions } from './warmer-registry.explorer.js';
import type { WarmJobData, WarmJobResult } from './warming.interface.js';

const SCHEDULER_PREFIX = 'warm:';

/** The id of a warmer's job scheduler, as BullMQ lists it. */
export const schedulerId = (warmer: string): string => `${SCHEDULER_PREFIX}${warmer}`;

/**
 * What warming keeps in Redis for the deployment: the job schedulers of scheduled warmers and the
 * once-per-deployment startup runs. Both are (re)done whenever Redis connects, not only at boot:
 *
 * - a Redis restarted empty, or a failover to a replica that never had them, has no schedulers, and
 *   scheduled warming would stop without a word; upserting them is idempotent across instances;
 * - an application that boots while Redis is down must boot (the cache fails open), and run its
 *   startup warmers once Redis is back.
 *
 * Nothing here waits on Redis longer than `bound` ms: the queue's connection queues commands while
 * it reconnects, so an unbounded await would hold the application's boot for the whole outage.
 * Work cut short goes on in the background; its failure is counted and logged once per outage.
 */
export class WarmSchedules {
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  /** Deployment id whose startup warmers still have to be claimed and enqueued; undefined once done. */
  private startupPending: string | undefined;

  constructor(
    private readonly queue: Queue<WarmJobData, WarmJobResult>,
    private readonly registry: WarmerRegistry,
    /** BullMQ's connection: its 'ready' re-syncs the schedulers. */
    private readonly queueClient: RedisClient,
    /** The cache's (fail-fast) client: startup claims, and its 'ready' retries them. */
    private readonly redis: RedisClient,
    private readonly claimKey: (deployment: string, warmer: string) => string,
    private readonly task: BackgroundTask,
    private readonly logger: Pick<Logger, 'log'>,
    private readonly bound: number,
  ) {}

  /** At bootstrap: the first sync (waited for at most `bound`) and the reconnect hooks. */
  async start(): Promise<void> {
    this.queueClient.on('ready', this.onQueueReady);
    this.redis.on('ready', this.onRedisReady);
    await this.waitAtMost(this.sync());
  }

  stop(): void {
    this.queueClient.off('ready', this.onQueueReady);
    this.redis.off('ready', this.onRedisReady);
  }

  /**
   * Claims and enqueues the startup warmers of `deployment` (the first instance to claim a warmer
   * runs it). Never rejects: while Redis is down the claim is retried when it reconnects.
   */
  async runStartup(deployment: string): Promise<void> {
    this.startupPending = deployment;
    await this.waitAtMost(this.claimStartup(deployment));
  }

  private readonly onQueueReady = (): void => this.task.run(() => this.sync());
  private readonly onRedisReady = (): void => {
    const deployment = this.startupPending;
    if (deployment !== undefined) this.task.run(() => this.claimStartup(deployment));
  };

  /** Resolves once `work` settles or `bound` ms pass; `work`'s failure is the task's to count and log. */
  private async waitAtMost(work: Promise<void>): Promise<void> {
    const observed = work.then(
      () => this.task.succeeded(),
      (error: unknown) => this.task.failed(error),
    );
    await within(observed, this.bound);
  }

  /** One sync at a time; a reconnect during one asks for another when it ends. */
  private sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = this.syncOnce().finally(() => {
      this.syncing = undefined;
      if (this.syncAgain) {
        this.syncAgain = false;
        this.task.run(() => this.sync());
      }
    });
    return this.syncing;
  }

  /** One scheduler per scheduled warmer; schedulers of warmers no longer in the code are removed. */
  private async syncOnce(): Promise<void> {
    const wanted = new Set<string>();
    for (const warmer of this.registry.all()) {
      const { schedule, name } = warmer.options;
      if (schedule === undefined) continue;
      const id = schedulerId(name);
      wanted.add(id);
      await this.queue.upsertJobScheduler(
        id,
        typeof schedule === 'number' ? { every: schedule } : { pattern: schedule },
        { name: 'warm', data: { warmer: name, reason: 'schedule' }, opts: warmJobOptions(warmer) },
      );
    }
    for (const scheduler of await this.queue.getJobSchedulers(0, -1)) {
      if (scheduler.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(scheduler.key)) {
        await this.queue.removeJobScheduler(scheduler.key);
        this.logger.log(
          `Removed the schedule of warmer "${scheduler.key.slice(SCHEDULER_PREFIX.length)}" (gone from the code)`,
        );
      }
    }
  }

  private async claimStartup(deployment: string): Promise<void> {
    for (const warmer of this.registry.all().filter((w) => w.options.onStartup)) {
      const claim = this.claimKey(deployment, warmer.options.name);
      if ((await this.redis.set(claim, '1', 'EX', 7 * 24 * 3600, 'NX')) !== 'OK') continue;
      try {
        await this.queue.add('warm', { warmer: warmer.options.name, reason: 'startup' }, warmJobOptions(warmer));
      } catch (error) {
        // Not enqueued: hand the claim back so the retry (or another instance) can run it.
        await this.redis.del(claim).catch(() => undefined);
        throw error;
      }
    }
    if (this.startupPending === deployment) this.startupPending = undefined;
  }
}
