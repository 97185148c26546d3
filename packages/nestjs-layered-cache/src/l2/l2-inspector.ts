import type { Redis } from 'ioredis';
import { isCluster, type RedisClient } from '../redis/redis-client.factory.js';
import { parseMeta } from './l2-entry-format.js';

/** One stored entry as an admin sees it. */
export interface InspectedKey {
  /** The key within its namespace path, as Redis holds it: `<prefix>:<namespace path>:<key>`. */
  key: string;
  /** Time to live left, ms (freshness plus grace); -1 without expiry. */
  ttl: number;
  /** Payload bytes. */
  bytes: number;
  tags: string[];
  namespaces: string[];
}

/** Redis-side facts for the admin API: memory and evictions from INFO, key counts and listings by SCAN. */
export class L2Inspector {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** The hash slot of our keys on a cluster (all of them share it: see RedisConnection.keyPrefix). */
  private slot: Promise<number> | undefined;

  /** `used_memory`, `maxmemory`, `evicted_keys`… from INFO of the server holding our keys. */
  async info(): Promise<Record<string, string>> {
    const text = await (await this.node()).info();
    const out: Record<string, string> = {};
    for (const line of text.split('\r\n')) {
      const at = line.indexOf(':');
      if (at > 0 && !line.startsWith('#')) out[line.slice(0, at)] = line.slice(at + 1);
    }
    return out;
  }

  /** Round-trip time of a PING, ms. */
  async ping(): Promise<number> {
    const started = performance.now();
    await (await this.node()).ping();
    return Math.round((performance.now() - started) * 100) / 100;
  }

  /** Freshness left (ms) of each full key: PTTL minus grace; undefined when nothing is stored. */
  async freshnessLeft(fullKeys: readonly string[]): Promise<(number | undefined)[]> {
    if (fullKeys.length === 0) return [];
    const pipeline = (await this.node()).pipeline();
    for (const key of fullKeys) pipeline.pttl(key).hget(key, 'm').hexists(key, 'd');
    const replies = ((await pipeline.exec()) ?? []).map(([error, value]) => (error ? undefined : value));
    return fullKeys.map((_, i) => {
      const [pttl, meta, stored] = replies.slice(i * 3, i * 3 + 3) as [number, string | null, number];
      if (!stored || pttl <= 0) return undefined;
      try {
        const { grace, failSafe } = parseMeta(meta ?? '');
        return pttl - grace - failSafe;
      } catch {
        return undefined; // corrupt: the next read removes it
      }
    });
  }

  /** Entries under our prefix, counted by SCAN up to `limit` (then `exact` is false). */
  async countEntries(limit = 100_000): Promise<{ count: number; exact: boolean }> {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await (await this.node()).scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      count += keys.filter((k) => !this.isInternal(k)).length;
      if (count >= limit) return { count, exact: false };
    } while (cursor !== '0');
    return { count, exact: true };
  }

  /** One SCAN page of entries whose full key matches `match`; `cursor` '0' when done. */
  async scan(match: string, cursor: string, count: number): Promise<{ cursor: string; keys: InspectedKey[] }> {
    const node = await this.node();
    const [next, raw] = await node.scan(cursor, 'MATCH', match, 'COUNT', count);
    const keys = raw.filter((k) => !this.isInternal(k));
    if (keys.length === 0) return { cursor: next, keys: [] };
    const pipeline = node.pipeline();
    for (const key of keys) pipeline.pttl(key).hstrlen(key, 'd').hget(key, 't');
    const replies = ((await pipeline.exec()) ?? []).map(([error, value]) => (error ? undefined : value));
    const out: InspectedKey[] = [];
    keys.forEach((key, i) => {
      const [ttl, bytes, header] = replies.slice(i * 3, i * 3 + 3) as [number, number, string | null];
      if (!bytes) return; // a generation placeholder or a dropped entry: nothing stored
      const deps = (header ?? '').split('\n').filter((_, j) => j % 2 === 0 && _ !== '');
      out.push({
        key,
        ttl,
        bytes,
        tags: deps.filter((d) => d.startsWith('t:')).map((d) => d.slice(2)),
        namespaces: deps.filter((d) => d.startsWith('n:')).map((d) => d.slice(2)),
      });
    });
    return { cursor: next, keys: out };
  }

  /** Version counters, locks and the bus channel live under `<prefix>:~…`. */
  private isInternal(key: string): boolean {
    return key.startsWith(`${this.prefix}:~`);
  }

  /** The server holding our keys: on a cluster, the master of their slot. */
  private async node(): Promise<Redis> {
    const redis = this.redis;
    if (!isCluster(redis)) return redis;
    // Asked once; a failed lookup (Redis down) is asked again next time.
    this.slot ??= redis.cluster('KEYSLOT', this.prefix).catch((error: unknown) => {
      this.slot = undefined;
      throw error;
    });
    const owner = redis.slots[await this.slot]?.[0];
    const masters = redis.nodes('master');
    return masters.find((node) => `${node.options.host}:${node.options.port}` === owner) ?? masters[0]!;
  }
}
