/** A census of the soak's Redis keys, and how long each entry or lock key may outlive its row's last use. */
import type { Redis } from 'ioredis';

export interface KeyCensus {
  /** Entry hashes (values, fill placeholders, delete tombstones). */
  entries: number;
  rowVersions: number;
  groupVersions: number;
  /** Other `~v:` counters (namespaces). */
  otherVersions: number;
  locks: number;
  /** Keys without a TTL (PTTL -1): each one would live forever. */
  noTtl: number;
  /** Longest remaining PTTL among version counters, ms. */
  maxVersionPttl: number;
  /** Entry and lock keys still present past their row's deadline (see KeyDeadlines), or unknown. */
  overdue: number;
  overdueExamples: string[];
  /** Version counters of tags (or namespaces) the workload never used. */
  unknownCounters: number;
}

/**
 * When each row's keys must be gone. Every use of a row (read, write, delete) may keep its entry
 * key (or its lock) alive for at most `lifetime` ms (the longest of ttl + grace, fillWindow and
 * lock.ttl). A pattern invalidation may re-arm a key it deletes for `lifetime` again, but only a key
 * that could still exist then, and once per use: re-arming a key that is already only a delete
 * tombstone would let repeated pattern invalidations keep it forever.
 */
export class KeyDeadlines {
  private readonly deadline = new Map<number, number>();
  /** Rows whose keys a pattern invalidation may still re-arm once. */
  private readonly armed = new Set<number>();

  constructor(
    private readonly lifetime: number,
    /** Timing slack (census and operation timestamps are taken around, not at, the Redis calls). */
    private readonly slack = 2000,
  ) {}

  used(id: number, now = performance.now()): void {
    this.deadline.set(id, now + this.lifetime);
    this.armed.add(id);
  }

  /** A pattern `row:<digits>*` that started at `started` and returned at `now`. */
  pattern(digits: string, started: number, now = performance.now()): void {
    for (const id of this.armed) {
      const deadline = this.deadline.get(id)!;
      if (deadline <= started) this.armed.delete(id);
      else if (String(id).startsWith(digits)) {
        this.deadline.set(id, now + this.lifetime);
        this.armed.delete(id);
      }
    }
  }

  /** How many ms past its deadline `rest` (a key without `<prefix>:`) is at `at`; ≤ 0 is in time. */
  overdueBy(rest: string, at: number): number {
    const match = /^(?:~l:)?default:row:(\d+)$/.exec(rest);
    const deadline = match ? this.deadline.get(Number(match[1])) : undefined;
    return deadline === undefined ? Infinity : at - deadline - this.slack;
  }
}

/** Counts the prefix's keys with SCAN (never KEYS) and checks their TTLs in one pipeline. */
export async function census(
  redis: Redis,
  prefix: string,
  deadlines: KeyDeadlines,
  knownCounter: (rest: string) => boolean,
): Promise<KeyCensus> {
  const at = performance.now();
  const out: KeyCensus = {
    entries: 0,
    rowVersions: 0,
    groupVersions: 0,
    otherVersions: 0,
    locks: 0,
    noTtl: 0,
    maxVersionPttl: 0,
    overdue: 0,
    overdueExamples: [],
    unknownCounters: 0,
  };
  const classify = (rest: string, pttl: number) => {
    if (pttl === -2) return; // expired between SCAN and PTTL
    if (pttl === -1) out.noTtl++;
    if (rest.startsWith('~v:')) {
      out.maxVersionPttl = Math.max(out.maxVersionPttl, pttl);
      if (!knownCounter(rest)) out.unknownCounters++;
      if (rest.startsWith('~v:t:row:')) out.rowVersions++;
      else if (rest.startsWith('~v:t:group:')) out.groupVersions++;
      else out.otherVersions++;
      return;
    }
    if (rest.startsWith('~l:')) out.locks++;
    else out.entries++;
    const late = deadlines.overdueBy(rest, at);
    if (late <= 0) return;
    out.overdue++;
    if (out.overdueExamples.length < 3)
      out.overdueExamples.push(`${rest} ${(late / 1000).toFixed(1)} s late (PTTL ${pttl} ms)`);
  };
  const seen = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    // SCAN may return a key twice; one PTTL pipeline per batch keeps the census's own memory small.
    const keys = batch.filter((key) => !seen.has(key) && seen.add(key));
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.pttl(key);
    const ttls = (await pipeline.exec()) ?? [];
    keys.forEach((key, k) => classify(key.slice(prefix.length + 1), Number(ttls[k]?.[1] ?? -2)));
  } while (cursor !== '0');
  return out;
}
