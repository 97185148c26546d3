import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/redis-client.factory.js';
import type { RowChange } from './write-behind.interface.js';
import { FAIL_SCRIPT, FINISH_SCRIPT, REPLAY_SCRIPT, TAKE_SCRIPT, WRITE_SCRIPT } from './write-behind.scripts.js';

export interface TakenBatch {
  id: string;
  attempts: number;
  rows: Map<string, RowChange>;
}

export interface DeadBatch {
  id: string;
  diedAt: number;
  rows: number;
  attempts: number;
  error: string | null;
}

type Scripts = RedisClient & Record<`wb${string}`, (...args: (string | number)[]) => Promise<unknown>>;

/** Parses `["s:name", "\"x\"", "i:views", "3", "q", "17"]` (HGETALL of a row change). */
export function parseRowChange(flat: readonly string[]): RowChange {
  const change: RowChange = { set: {}, increment: {}, seq: 0 };
  for (let i = 0; i < flat.length; i += 2) {
    const field = flat[i]!;
    const value = flat[i + 1]!;
    if (field === 'q') change.seq = Number(value);
    else if (field.startsWith('s:')) change.set[field.slice(2)] = JSON.parse(value) as unknown;
    else if (field.startsWith('i:')) change.increment[field.slice(2)] = Number(value);
  }
  return change;
}

/** Merges changes oldest first: later sets win, increments add up. */
export function mergeChanges(changes: readonly RowChange[]): RowChange {
  const out: RowChange = { set: {}, increment: {}, seq: 0 };
  for (const c of [...changes].sort((a, b) => a.seq - b.seq)) {
    Object.assign(out.set, c.set);
    for (const [field, delta] of Object.entries(c.increment))
      out.increment[field] = (out.increment[field] ?? 0) + delta;
    out.seq = Math.max(out.seq, c.seq);
  }
  return out;
}

/** The Redis side of one entity's write-behind queue (see write-behind.scripts.ts for the layout). */
export class WriteBehindStore {
  private readonly redis: Scripts;

  constructor(
    redis: RedisClient,
    /** `<prefix>:~wb:<entity>` */
    readonly keyPrefix: string,
  ) {
    const scripts = {
      wbWrite: WRITE_SCRIPT,
      wbTake: TAKE_SCRIPT,
      wbFinish: FINISH_SCRIPT,
      wbFail: FAIL_SCRIPT,
      wbReplay: REPLAY_SCRIPT,
    };
    for (const [name, lua] of Object.entries(scripts)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    }
    this.redis = redis as Scripts;
  }

  /**
   * Records a change; returns its sequence (-1 when the queue is full and the row not already
   * pending) and how many rows are now pending.
   */
  async write(
    id: string,
    set: Record<string, unknown>,
    increment: Record<string, number>,
    maxPending: number,
  ): Promise<{ seq: number; pending: number }> {
    const args: (string | number)[] = [this.keyPrefix, id, Date.now(), maxPending];
    for (const [field, value] of Object.entries(set)) args.push(field, 's', JSON.stringify(value));
    for (const [field, delta] of Object.entries(increment)) args.push(field, 'i', delta);
    const [seq, pending] = (await this.redis.wbWrite(...args)) as [number, number];
    return { seq: Number(seq), pending: Number(pending) };
  }

  /** A batch whose lease expired or whose retry is due, else a new one of up to `max` rows. */
  async take(max: number, lease: number): Promise<TakenBatch | undefined> {
    const fresh = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
    const reply = (await this.redis.wbTake(this.keyPrefix, Date.now(), lease, max, fresh)) as string[] | null;
    if (!reply) return undefined;
    const rows = new Map<string, RowChange>();
    for (let i = 2; i < reply.length; i += 2)
      rows.set(reply[i]!, parseRowChange(JSON.parse(reply[i + 1]!) as string[]));
    return { id: reply[0]!, attempts: Number(reply[1]), rows };
  }

  async finish(batch: string): Promise<void> {
    await this.redis.wbFinish(this.keyPrefix, batch);
  }

  /** True when it will be retried, false when it went to the dead-letter list. */
  async fail(batch: string, backoff: number, maxAttempts: number, error: string): Promise<boolean> {
    return Number(await this.redis.wbFail(this.keyPrefix, batch, Date.now(), backoff, maxAttempts, error)) === 1;
  }

  async replay(batch: string): Promise<boolean> {
    return Number(await this.redis.wbReplay(this.keyPrefix, batch, Date.now())) === 1;
  }

  /** What is pending for a row, including batches being applied: for read-your-writes. */
  async pending(id: string): Promise<RowChange | undefined> {
    const [row, inflight] = (await this.redis
      .multi()
      .hgetall(`${this.keyPrefix}:row:${id}`)
      .smembers(`${this.keyPrefix}:inflight:${id}`)
      .exec())!.map(([, value]) => value) as [Record<string, string>, string[]];
    const changes: RowChange[] = [];
    if (inflight.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const batch of inflight) pipeline.hget(`${this.keyPrefix}:batch:${batch}`, id);
      for (const [, json] of (await pipeline.exec())!) {
        if (typeof json === 'string') changes.push(parseRowChange(JSON.parse(json) as string[]));
      }
    }
    if (Object.keys(row).length > 0) changes.push(parseRowChange(Object.entries(row).flat()));
    return changes.length > 0 ? mergeChanges(changes) : undefined;
  }

  /** Rows waiting, oldest wait (ms), batches in flight or retrying, and dead batches. */
  async counts(): Promise<{ pendingRows: number; oldestMs: number | null; batches: number; dead: number }> {
    const [pendingRows, oldest, batches, dead] = (await this.redis
      .multi()
      .zcard(`${this.keyPrefix}:dirty`)
      .zrange(`${this.keyPrefix}:dirty`, 0, 0, 'WITHSCORES')
      .zcard(`${this.keyPrefix}:batches`)
      .zcard(`${this.keyPrefix}:dead`)
      .exec())!.map(([, value]) => value) as [number, string[], number, number];
    return { pendingRows, oldestMs: oldest.length > 1 ? Date.now() - Number(oldest[1]) : null, batches, dead };
  }

  async deadBatches(limit = 100): Promise<DeadBatch[]> {
    const flat = await this.redis.zrange(`${this.keyPrefix}:dead`, 0, limit - 1, 'WITHSCORES');
    const out: DeadBatch[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const id = flat[i]!;
      const [meta, rows] = (await this.redis
        .multi()
        .hgetall(`${this.keyPrefix}:meta:${id}`)
        .hlen(`${this.keyPrefix}:batch:${id}`)
        .exec())!.map(([, value]) => value) as [Record<string, string>, number];
      out.push({
        id,
        diedAt: Number(flat[i + 1]),
        rows,
        attempts: Number(meta.attempts ?? 0),
        error: meta.error ?? null,
      });
    }
    return out;
  }
}
