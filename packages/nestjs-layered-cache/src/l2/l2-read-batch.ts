import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis/redis-client.factory.js';
import { READ_SCRIPT } from './l2.scripts.js';

/** An entry as stored in Redis, before decoding (see l2-entry-format.ts). */
export interface L2RawEntry {
  payload: Buffer;
  /** `"<ttl>,<grace>,<failSafe>"` it was written with, in ms. */
  meta: string;
  /** Dependency header: `"dep\nversion\n…"`. */
  header: string;
  /** Remaining time to live in Redis (ttl + grace + failSafe - age), in ms. */
  pttl: number;
}

/** ioredis has a `…Buffer` variant of every command at runtime; its types omit these two. */
interface EvalBuffer {
  evalshaBuffer(...args: (string | number)[]): Promise<unknown>;
  evalBuffer(...args: (string | number)[]): Promise<unknown>;
}

/**
 * Most keys one read script call checks: a bigger batch is sent at once and the rest start a new
 * one (the script blocks Redis for about a microsecond and a half per key).
 */
const MAX_BATCH_KEYS = 256;

const READ_SHA = createHash('sha1').update(READ_SCRIPT).digest('hex');

const isNoScript = (error: unknown): boolean => error instanceof Error && error.message.startsWith('NOSCRIPT');

interface Waiting {
  count: number;
  resolve: (entries: (L2RawEntry | undefined)[]) => void;
  reject: (error: unknown) => void;
}

interface Batch {
  keys: string[];
  waiting: Waiting[];
}

/**
 * Reads of one tick share one READ_SCRIPT call: 50 concurrent `get`s cost one round trip, one
 * script run and one reply instead of 50 of each. Each key is still checked against its own
 * dependency versions by the script, in the same round trip that returns it, exactly as a lone
 * read would be. A lone read (the serial case) waits only for the end of the current tick.
 * Every key of one L2 shares the prefix's hash slot, so a batch is valid on a Cluster too.
 */
export class ReadBatches {
  private batch: Batch | undefined;
  /** Script calls sent (each reading one batch). */
  calls = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly versionPrefix: string,
  ) {}

  read(keys: readonly string[]): Promise<(L2RawEntry | undefined)[]> {
    return new Promise((resolve, reject) => {
      let batch = this.batch;
      if (batch === undefined) {
        batch = this.batch = { keys: [], waiting: [] };
        process.nextTick(this.flush);
      }
      for (let i = 0; i < keys.length; i++) batch.keys.push(keys[i]!);
      batch.waiting.push({ count: keys.length, resolve, reject });
      if (batch.keys.length >= MAX_BATCH_KEYS) this.flush();
    });
  }

  private readonly flush = (): void => {
    const batch = this.batch;
    if (batch === undefined) return;
    this.batch = undefined;
    this.calls++;
    this.send(batch.keys).then(
      (reply) => {
        const { waiting } = batch;
        // A reply that is not the script's (a client of the application's with other options) fails
        // the reads that are still waiting; it must not become an unhandled rejection.
        let at = 0;
        try {
          for (const read of waiting) {
            read.resolve(decodeRead(reply, at, read.count));
            at += read.count;
          }
        } catch (error) {
          for (const read of waiting) read.reject(error);
        }
      },
      (error: unknown) => {
        for (const waiting of batch.waiting) waiting.reject(error);
      },
    );
  };

  /** By SHA; a server that lacks the script (restart, failover, SCRIPT FLUSH) gets it by EVAL once. */
  private async send(keys: string[]): Promise<ReadReply> {
    const redis = this.redis as unknown as EvalBuffer;
    try {
      return (await redis.evalshaBuffer(READ_SHA, keys.length, ...keys, this.versionPrefix)) as ReadReply;
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return (await redis.evalBuffer(READ_SCRIPT, keys.length, ...keys, this.versionPrefix)) as ReadReply;
    }
  }
}

type ReadReply = (Buffer | number | null)[];

/** `count` keys of READ_SCRIPT's reply from key `first` on: 4 slots per key (payload, meta, header, pttl; payload null = miss). */
function decodeRead(reply: ReadReply, first: number, count: number): (L2RawEntry | undefined)[] {
  if (!Array.isArray(reply) || reply.length < (first + count) * 4) throw new Error('L2 read: unexpected script reply');
  const out = new Array<L2RawEntry | undefined>(count);
  for (let i = 0, at = first * 4; i < count; i++, at += 4) {
    const payload = reply[at] as Buffer | null;
    if (payload === null) continue;
    out[i] = {
      payload,
      meta: (reply[at + 1] as Buffer | null)?.toString() ?? '',
      header: (reply[at + 2] as Buffer | null)?.toString() ?? '',
      pttl: Number(reply[at + 3]),
    };
  }
  return out;
}
