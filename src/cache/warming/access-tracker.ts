import type { BackgroundTask } from '../errors/background-task.js';
import type { RedisClient } from '../redis/redis-client.factory.js';

export interface HotKey {
  namespace: string;
  key: string;
  score: number;
}

/**
 * Which keys are read most, with bounded memory in Redis: one read in `sample` is counted locally
 * and flushed once a second (never on the read's own path) with ZINCRBY into one sorted set,
 * trimmed to `max` members. Scores halve every `halfLife` ms (one instance does it, by lock), so
 * the ranking follows current traffic.
 */
export class AccessTracker {
  private readonly pending = new Map<string, number>();
  private reads = 0;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly options: { sample: number; halfLife: number; max?: number },
    /** Where a failed write goes (counted, logged once per outage). */
    private readonly errors: BackgroundTask,
  ) {
    this.timer = setInterval(() => this.queueWrite(), 1000);
    this.timer.unref();
  }

  /** Called on every read; O(1) and allocation-free for the reads it does not sample. */
  record(namespace: string, key: string): void {
    if (++this.reads % this.options.sample !== 0) return;
    const member = `${namespace}|${key}`;
    // Bounded: a burst of distinct keys between flushes cannot grow this without limit.
    if (this.pending.size >= 10_000 && !this.pending.has(member)) return;
    this.pending.set(member, (this.pending.get(member) ?? 0) + this.options.sample);
  }

  /** Resolves once what was recorded so far is written (or failed: never rejects). */
  flush(): Promise<void> {
    this.queueWrite();
    return this.flushing;
  }

  async top(n: number): Promise<HotKey[]> {
    const flat = await this.redis.zrevrange(this.key, 0, n - 1, 'WITHSCORES');
    const out: HotKey[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const member = flat[i]!;
      const bar = member.indexOf('|');
      out.push({ namespace: member.slice(0, bar), key: member.slice(bar + 1), score: Number(flat[i + 1]) });
    }
    return out;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private queueWrite(): void {
    this.flushing = this.flushing
      .then(() => this.write())
      .then(
        () => this.errors.succeeded(),
        (error: unknown) => this.errors.failed(error),
      );
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    const pipeline = this.redis.pipeline();
    for (const [member, count] of batch) pipeline.zincrby(this.key, count, member);
    pipeline.zremrangebyrank(this.key, 0, -(this.options.max ?? 10_000) - 1);
    await pipeline.exec();
    const decayLock = await this.redis.set(`${this.key}:decay`, '1', 'PX', this.options.halfLife, 'NX');
    if (decayLock === 'OK') await this.redis.zunionstore(this.key, 1, this.key, 'WEIGHTS', 0.5);
  }
}
