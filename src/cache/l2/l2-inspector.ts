import type { Cluster, Redis } from 'ioredis';

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
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** `used_memory`, `maxmemory`, `evicted_keys`… from INFO (one node; every master in a cluster is future work). */
  async info(): Promise<Record<string, string>> {
    const text = await this.node().info();
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
    await this.node().ping();
    return Math.round((performance.now() - started) * 100) / 100;
  }

  /** Freshness left (ms) of each full key: PTTL minus grace; undefined when nothing is stored. */
  async freshnessLeft(fullKeys: readonly string[]): Promise<(number | undefined)[]> {
    if (fullKeys.length === 0) return [];
    const pipeline = this.node().pipeline();
    for (const key of fullKeys) pipeline.pttl(key).hget(key, 'm').hexists(key, 'd');
    const replies = ((await pipeline.exec()) ?? []).map(([error, value]) => (error ? undefined : value));
    return fullKeys.map((_, i) => {
      const [pttl, meta, stored] = replies.slice(i * 3, i * 3 + 3) as [number, string | null, number];
      if (!stored || pttl <= 0) return undefined;
      const grace = Number((meta ?? '0,0').split(',')[1] ?? 0);
      return pttl - grace;
    });
  }

  /** Entries under our prefix, counted by SCAN up to `limit` (then `exact` is false). */
  async countEntries(limit = 100_000): Promise<{ count: number; exact: boolean }> {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await this.node().scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      count += keys.filter((k) => !this.isInternal(k)).length;
      if (count >= limit) return { count, exact: false };
    } while (cursor !== '0');
    return { count, exact: true };
  }

  /** One SCAN page of entries whose full key matches `match`; `cursor` '0' when done. */
  async scan(match: string, cursor: string, count: number): Promise<{ cursor: string; keys: InspectedKey[] }> {
    const node = this.node();
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

  private node(): Redis {
    const redis = this.redis as Redis | Cluster;
    return 'nodes' in redis && typeof redis.nodes === 'function'
      ? (redis.nodes('master')[0] as Redis)
      : (redis as Redis);
  }
}
