import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityTags, type CacheService, type RedisModuleOptions } from '../../src/index.js';
import { Widget } from '../fixtures/widget.entity.js';
import { uniquePrefix } from '../helpers/cache-instance.js';
import type { StressedRedis } from '../helpers/stressed-redis.js';
import { createTypeormCacheApp, type TypeormCacheApp } from '../helpers/typeorm-app.js';

/**
 * The randomized checker of consistency.md. Writers (on instance A) bump row versions in
 * transactions (some roll back), through save(), update(criteria) and delete+insert; readers on A
 * and B read through the cache. A read fails the check if it returns a version older than:
 *  - on A (the writer): the newest version whose write call returned before the read began;
 *  - on B: the newest version whose invalidation B had received over the bus before the read began
 *    (promise 2: another instance follows within the bus delivery time).
 * Replay a failure with CHECKER_SEED=<seed>.
 */
const ROWS = 6;

function prng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CheckerSetup {
  /** Runs with CHECKER_OPERATIONS operations when set, else this many. */
  operations: number;
  /** Redis options of each instance (default: the run's Redis, directly). */
  redis?: () => Promise<RedisModuleOptions>;
  /** The run must have given up on Redis replies (soft timeouts), or it did not test that. */
  softTimeouts?: boolean;
}

export function describeConsistencyChecker(name: string, setup: CheckerSetup): void {
  const operations = Number(process.env.CHECKER_OPERATIONS ?? setup.operations);
  const seed = Number(process.env.CHECKER_SEED ?? Date.now() % 1_000_000);
  describe(`randomized consistency checker (two instances, real Redis and Postgres): ${name}`, () => {
    defineChecker(operations, seed, setup);
  });
}

/**
 * The checker with every Redis reply jittered and a soft timeout shorter than much of that jitter:
 * reads, version reads, locks and commits are given up on all the time and Redis is marked slow
 * again and again. That may cost loads and stores; it must never produce a stale read.
 */
export function describeStressedConsistencyChecker(topology: string, stressed: () => StressedRedis): void {
  describeConsistencyChecker(`${topology}, replies jittered, soft timeouts firing`, {
    operations: 2000,
    // A bump whose reply outlasts the hard timeout ran all the same and is replayed: B then hears
    // it twice, which its message count cannot tell from a new commit. A hard timeout far above
    // the jitter keeps replays out of the count; soft timeouts (reads, fills) are the stress here.
    redis: () => stressed().redis({ softTimeout: 15, commandTimeout: 10_000 }),
    softTimeouts: true,
  });
}

function defineChecker(OPERATIONS: number, seed: number, { redis, softTimeouts }: CheckerSetup): void {
  let a: TypeormCacheApp;
  let b: TypeormCacheApp;
  const ids: number[] = [];

  beforeAll(async () => {
    const prefix = uniquePrefix('checker');
    a = await createTypeormCacheApp(prefix, await redis?.());
    b = await createTypeormCacheApp(prefix, await redis?.());
    // Raw SQL: the setup itself must not send invalidations that B would count.
    const rows = (await a.dataSource.query(
      `INSERT INTO test_widgets (name, group_id, version)
       SELECT 'checked', 900, 0 FROM generate_series(1, ${ROWS}) RETURNING id`,
    )) as { id: number }[];
    ids.push(...rows.map((r) => r.id));
  });
  afterAll(async () => {
    await b?.app.close();
    await a?.app.close();
  });

  // The seed is in the name, so any failure (not only a stale read) says how to replay it.
  it(`finds no stale read in ${OPERATIONS} operations (replay: CHECKER_SEED=${seed})`, async () => {
    const random = prng(seed);
    const returned = new Map<number, number>(ids.map((id) => [id, 0]));
    const seenByB = new Map<number, number>(ids.map((id) => [id, 0]));
    const rowLocks = new Map<number, Promise<void>>();
    const violations: string[] = [];
    const counts = { commits: 0, rollbacks: 0, reads: 0, bulk: 0, replace: 0 };

    // B learns of A's commits only through the bus: count the messages naming each row.
    b.cache.on('bus', ({ deps }) => {
      for (const dep of deps) {
        const id = Number(/^t:widget:(\d+)$/.exec(dep)?.[1]);
        if (seenByB.has(id)) seenByB.set(id, seenByB.get(id)! + 1);
      }
    });

    const read = async (instance: TypeormCacheApp, cache: CacheService, id: number, required: number, who: string) => {
      const version = await cache.getOrSet(
        `row:${id}`,
        async () => (await instance.dataSource.getRepository(Widget).findOneByOrFail({ id })).version,
        { tags: entityTags.row('widget', id), ttl: 600_000 },
      );
      counts.reads++;
      if (version < required) violations.push(`${who} read row ${id} = v${version}, expected ≥ v${required}`);
    };

    const write = async (id: number, r: number) => {
      // One writer per row at a time, so the writer knows the version it commits.
      const previous = rowLocks.get(id) ?? Promise.resolve();
      let release!: () => void;
      rowLocks.set(id, new Promise<void>((resolve) => (release = resolve)));
      await previous;
      try {
        const next = returned.get(id)! + 1;
        const rollback = r < 0.15;
        const kind = r < 0.55 ? 'save' : r < 0.8 ? 'bulk' : 'replace';
        try {
          await a.dataSource.transaction(async (tx) => {
            const repo = tx.getRepository(Widget);
            if (kind === 'save') await repo.save({ id, name: 'checked', groupId: 900, version: next });
            else if (kind === 'bulk') await repo.update({ id }, { version: next });
            else {
              // delete(criteria) is what must invalidate here; the raw re-insert keeps the id.
              await repo.delete({ id });
              await tx.query('INSERT INTO test_widgets (id, name, group_id, version) VALUES ($1, $2, $3, $4)', [
                id,
                'checked',
                900,
                next,
              ]);
            }
            if (rollback) throw new Error('rollback');
          });
        } catch (error) {
          if ((error as Error).message !== 'rollback') throw error;
          counts.rollbacks++;
          return;
        }
        counts.commits++;
        if (kind !== 'save') counts[kind]++;
        returned.set(id, next);
      } finally {
        release();
      }
    };

    let remaining = OPERATIONS;
    const worker = async () => {
      while (remaining-- > 0) {
        const r = random();
        const id = ids[Math.floor(random() * ids.length)]!;
        if (r < 0.3) await write(id, random());
        else if (r < 0.65) await read(a, a.cache, id, returned.get(id)!, 'A');
        else await read(b, b.cache, id, seenByB.get(id)!, 'B');
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));

    if (violations.length > 0) {
      const messages = [...seenByB.values()].reduce((x, y) => x + y);
      const { errors: errorsA, l2: l2A } = a.cache.stats();
      console.error(`consistency checker seed=${seed}`, violations.slice(0, 10), {
        messagesToB: messages,
        commits: counts.commits,
        errorsA,
        softTimeoutsA: l2A?.softTimeouts,
        skippedA: l2A?.skipped,
      });
    }
    expect(violations, `seed=${seed}`).toEqual([]);
    // The run exercised what it claims to.
    expect(counts.commits).toBeGreaterThan(OPERATIONS / 10);
    expect(counts.rollbacks).toBeGreaterThan(0);
    expect(counts.bulk).toBeGreaterThan(0);
    expect(counts.replace).toBeGreaterThan(0);
    expect([...seenByB.values()].reduce((x, y) => x + y)).toBeGreaterThan(0);
    expect(a.cache.stats().l1!.hits + b.cache.stats().l1!.hits).toBeGreaterThan(0);
    if (softTimeouts) expect(a.cache.stats().l2!.softTimeouts + b.cache.stats().l2!.softTimeouts).toBeGreaterThan(0);
  }, 180_000); // thousands of operations on a slowed Redis and a busy machine
}
