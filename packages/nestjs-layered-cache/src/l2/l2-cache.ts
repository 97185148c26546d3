import { randomBytes, randomInt } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import { isCluster, type RedisClient } from '../redis/redis-client.factory.js';
import {
  BEGIN_FILL_SCRIPT,
  BUMP_SCRIPT,
  COMMIT_FILL_SCRIPT,
  DELETE_SCRIPT,
  SET_SCRIPT,
  UNLOCK_SCRIPT,
} from './l2.scripts.js';
import { formatMeta, totalLifetime } from './l2-entry-format.js';
import { ReadBatches, type L2RawEntry } from './l2-read-batch.js';

export type { L2RawEntry } from './l2-read-batch.js';

/** A bus message to publish together with a change (same script or pipeline). */
export interface Notify {
  channel: string;
  message: string;
}

/** What a fill saw before its loader ran; the commit is refused if any of it moved. */
export interface FillToken {
  generation: string;
  header: string;
}

export interface L2Write {
  key: string;
  payload: Buffer;
  ttl: number;
  grace: number;
  failSafe: number;
  deps: readonly string[];
}

type Script = (...args: (string | number | Buffer)[]) => Promise<unknown>;
interface ScriptedRedis {
  cacheBeginFill: Script;
  cacheCommitFill: Script;
  cacheSet: Script;
  cacheDelete: Script;
  cacheBump: Script;
  cacheUnlock: Script;
}

const SCRIPTS = {
  cacheBeginFill: BEGIN_FILL_SCRIPT,
  cacheCommitFill: COMMIT_FILL_SCRIPT,
  cacheSet: SET_SCRIPT,
  cacheDelete: DELETE_SCRIPT,
  cacheBump: BUMP_SCRIPT,
  cacheUnlock: UNLOCK_SCRIPT,
} as const;

/** Shortest life of a dependency counter, ms. */
const DEP_TTL_FLOOR_MS = 60_000;

/** Counters start at a random value below 2^40 so Lua prints them as exact integers. */
const seed = (): number => randomInt(1, 2 ** 40);

/**
 * The Redis tier. Every operation is one script call (or one pipeline for batches), so a read is
 * one round trip and fills are compare-and-set against dependency versions and the generation.
 */
export class L2Cache {
  private readonly versionPrefix: string;
  private readonly lockPrefix: string;
  /** Reads of one tick share one script call. */
  readonly reads: ReadBatches;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    /** How long a fill placeholder or a delete tombstone lives, in ms (longest useful loader run). */
    private readonly fillWindow: number,
  ) {
    this.versionPrefix = `${prefix}:~v:`;
    this.lockPrefix = `${prefix}:~l:`;
    this.reads = new ReadBatches(redis, this.versionPrefix);
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { lua });
    }
  }

  /**
   * The entries of `keys` whose dependencies are all current, in one round trip (shared with the
   * other reads of this tick, see ReadBatches).
   */
  read(keys: readonly string[]): Promise<(L2RawEntry | undefined)[]> {
    return this.reads.read(keys);
  }

  async beginFill(key: string, deps: readonly string[], ttl: number): Promise<FillToken> {
    const reply = (await this.scripts(this.redis).cacheBeginFill(
      1,
      key,
      this.versionPrefix,
      seed(),
      this.fillWindow,
      this.depTtl(ttl),
      ...deps,
    )) as string[];
    let header = '';
    for (let i = 0; i < deps.length; i++) header += `${deps[i]}\n${reply[i + 1]}\n`;
    return { generation: reply[0]!, header };
  }

  /** Stores the entry unless something moved since `beginFill`; false means refused. */
  async commitFill(token: FillToken, write: L2Write): Promise<boolean> {
    const stored = await this.scripts(this.redis).cacheCommitFill(
      1,
      write.key,
      this.versionPrefix,
      token.generation,
      write.payload,
      formatMeta(write),
      token.header,
      totalLifetime(write),
      this.depTtl(totalLifetime(write)),
    );
    return stored === 1;
  }

  /** Direct writes and their bus message, one pipeline round trip for all of them. */
  async set(writes: readonly L2Write[], notify?: Notify): Promise<true> {
    const pipeline = this.redis.pipeline();
    for (const write of writes) this.queueSet(pipeline, write);
    if (notify) pipeline.publish(notify.channel, notify.message);
    throwFirstError(await pipeline.exec());
    return true;
  }

  /** Returns how many of `keys` held an entry. */
  async delete(keys: readonly string[], notify?: Notify): Promise<number> {
    if (keys.length === 0) return 0;
    const [channel, message] = notify ? [notify.channel, notify.message] : ['', ''];
    return Number(
      await this.scripts(this.redis).cacheDelete(
        keys.length,
        ...keys,
        this.fillWindow,
        this.versionPrefix,
        channel,
        message,
      ),
    );
  }

  /** Invalidates every entry depending on any of `deps` (one INCR each, one round trip). */
  async bump(deps: readonly string[], notify?: Notify): Promise<true> {
    if (deps.length === 0) return true;
    await this.scripts(this.redis).cacheBump(
      deps.length,
      ...deps.map((dep) => this.versionPrefix + dep),
      notify?.channel ?? '',
      notify?.message ?? '',
    );
    return true;
  }

  /**
   * Deletes every entry whose key matches `pattern` (a full-key glob) with SCAN (never KEYS), on
   * every master of a cluster; returns how many held data. Each batch's keys are announced by the
   * script that deletes them, so other instances evict those keys and their dependents.
   * `count` is SCAN's batch hint.
   */
  async deleteMatching(
    pattern: string,
    notify: (keys: string[]) => Notify | undefined = () => undefined,
    count = 1000,
  ): Promise<number> {
    const nodes = isCluster(this.redis) ? this.redis.nodes('master') : [this.redis];
    let deleted = 0;
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
        cursor = next;
        // One key per call in a cluster (keys of a batch may live in different slots).
        const batches = isCluster(this.redis) ? keys.map((key) => [key]) : [keys];
        for (const batch of batches) deleted += await this.delete(batch, notify(batch));
      } while (cursor !== '0');
    }
    return deleted;
  }

  /** Takes the fill lock of `key` for `ttl` ms; the token to release it with, or null if held. */
  async tryLock(key: string, ttl: number): Promise<string | null> {
    const token = randomBytes(12).toString('base64url');
    const ok = await this.redis.set(this.lockKey(key), token, 'PX', ttl, 'NX');
    return ok === 'OK' ? token : null;
  }

  /** Releases the lock if it is still ours (compare-and-delete). */
  async unlock(key: string, token: string): Promise<true> {
    await this.scripts(this.redis).cacheUnlock(1, this.lockKey(key), token);
    return true;
  }

  /** One round trip that proves Redis answers (after a reconnect with nothing else to send). */
  async ping(): Promise<true> {
    await this.redis.ping();
    return true;
  }

  /** `<prefix>:~l:<namespace>:<key>`: the lock of the entry `<prefix>:<namespace>:<key>`. */
  lockKey(key: string): string {
    return this.lockPrefix + key.slice(this.prefix.length + 1);
  }

  /**
   * Queues the write on a pipeline. What ioredis returns is the pipeline itself (typed as a
   * promise); the command's outcome comes back through exec().
   */
  private queueSet(target: ChainableCommander, write: L2Write): unknown {
    const total = totalLifetime(write);
    return this.scripts(target).cacheSet(
      1,
      write.key,
      this.versionPrefix,
      seed(),
      write.payload,
      formatMeta(write),
      total,
      this.depTtl(total),
      ...write.deps,
    );
  }

  /**
   * Dependency counters outlive the entries that reference them: every store extends them to twice
   * its entry's lifetime (at least a minute, so short-lived entries do not recreate them
   * constantly). A counter that expired anyway reads as "changed": a miss, never a stale hit.
   */
  private depTtl(entryTtl: number): number {
    return Math.max(2 * entryTtl, DEP_TTL_FLOOR_MS);
  }

  private scripts(target: RedisClient | ChainableCommander): ScriptedRedis {
    return target as unknown as ScriptedRedis;
  }
}

function throwFirstError(results: [Error | null, unknown][] | null): void {
  const failed = results?.find(([error]) => error !== null);
  if (failed) throw failed[0];
}
