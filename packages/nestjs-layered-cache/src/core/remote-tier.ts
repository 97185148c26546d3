import type { BusMessage } from '../bus/bus-message.js';
import type { FillToken, L2Cache, L2RawEntry, L2Write, Notify } from '../l2/l2-cache.js';
import type { ErrorReporter } from './error-reporter.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { PendingInvalidations } from './pending-invalidations.js';
import { SoftDeadlines } from './soft-deadlines.js';

/**
 * How long one soft timeout marks Redis as slow (unless an operation answers in time sooner), ms.
 * Correctness when it applies: none lost. Fills skip the lock (more loads across instances) and
 * the L2 write (the value reaches this L1 only, and only if the local fence saw no invalidation).
 */
const SLOW_HOLD_MS = 1000;

/**
 * How soon invalidations that did not reach Redis are retried by themselves, ms: other instances
 * may serve what they hide until then, so an idle instance must not hold them until its next
 * operation (nor a Redis that got slow without disconnecting until a reconnect that never comes).
 */
const REPLAY_RETRY_MS = 1000;

const NOTHING = Promise.resolve(undefined);

/** Receives the duration of each L2 operation (seconds) while `enabled`. */
export interface OperationTimer {
  readonly enabled: boolean;
  record(operation: string, seconds: number): void;
}

/**
 * L2 as the stack sees it: every operation fails open (resolves to undefined, the error counted and
 * logged once per burst), and writes or invalidations that failed are kept and replayed before the
 * next successful use, so entries invalidated during an outage are never read back afterwards.
 */
export class RemoteTier {
  private readonly pending: PendingInvalidations;
  /** One timer for every soft timeout (undefined: softTimeout 0, wait for Redis). */
  private readonly deadlines: SoftDeadlines | undefined;

  constructor(
    private readonly l2: L2Cache,
    private readonly reporter: ErrorReporter,
    /** The bus message to publish with a change (undefined without a bus). */
    private readonly notify: (message: BusMessage) => Notify | undefined,
    /** The dependency every entry carries (the root namespace), bumped if the pending list overflows. */
    rootDep: string,
    /** Where operation durations go, when anyone listens. */
    private readonly timer?: OperationTimer,
    /** Skips Redis while it keeps failing (undefined: never skip). */
    readonly breaker?: CircuitBreaker,
    /** Reads and fill steps slower than this many ms are given up on (a miss); 0: wait for Redis. */
    private readonly softTimeout = 0,
  ) {
    this.pending = new PendingInvalidations(rootDep);
    this.deadlines =
      softTimeout > 0
        ? new SoftDeadlines(
            softTimeout,
            () => void (this.slowUntil = 0),
            () => {
              this.softTimeouts++;
              this.slowUntil = Date.now() + SLOW_HOLD_MS;
            },
            (error) => this.reporter.report('l2', 'soft-timeout', error),
          )
        : undefined;
  }

  /** Times pending invalidations overflowed and were replaced by invalidating everything. */
  get pendingOverflows(): number {
    return this.pending.overflows;
  }

  /** Soft timeout: a miss (the loader answers). A miss never serves anything stale. */
  read(fulls: readonly string[]): Promise<(L2RawEntry | undefined)[] | undefined> {
    // The hot path (an L2 hit): no async frame, no closure; run() does the same bookkeeping.
    if (this.pending.size > 0 || this.timer?.enabled) return this.soft(this.run('read', () => this.l2.read(fulls)));
    if (this.breaker !== undefined && !this.breaker.allow()) {
      this.skipped++;
      return NOTHING;
    }
    let reply: Promise<(L2RawEntry | undefined)[]>;
    try {
      reply = this.l2.read(fulls);
    } catch (error) {
      reply = Promise.reject(error as Error);
    }
    return this.soft(reply.then(this.readAnswered, this.readFailed));
  }

  private readonly readAnswered = <R>(result: R): R => {
    this.breaker?.success();
    this.reporter.recovered('l2');
    return result;
  };

  private readonly readFailed = (error: unknown): undefined => {
    this.breaker?.failure();
    this.reporter.report('l2', 'read', error);
    return undefined;
  };

  /**
   * Soft timeout: no token, so the fill is never written to L2 (no versions, no compare-and-set);
   * it may enter this L1 only if the local fence saw nothing it depends on invalidated meanwhile.
   */
  beginFill(full: string, deps: readonly string[], ttl: number): Promise<FillToken | undefined> {
    if (this.slowNow()) return Promise.resolve(undefined);
    return this.soft(this.run('fill', () => this.l2.beginFill(full, deps, ttl)));
  }

  /**
   * True when stored, false when refused (something moved), undefined when Redis failed or was too
   * slow (the caller then decides by its local fence; a late commit is still compare-and-set, so
   * Redis never keeps a value an invalidation it has applied was meant to hide).
   */
  commitFill(token: FillToken, write: L2Write): Promise<boolean | undefined> {
    return this.soft(this.run('fill', () => this.l2.commitFill(token, write)));
  }

  /**
   * A lock token, null when another instance holds the lock, undefined when Redis failed or was
   * too slow: the fill loads without the lock (efficiency only; a lock granted late is released).
   */
  tryLock(full: string, ttl: number): Promise<string | null | undefined> {
    if (this.slowNow()) return Promise.resolve(undefined);
    const attempt = this.run('lock', async () => (await this.l2.tryLock(full, ttl)) ?? false);
    // A lock granted after we stopped waiting would block other instances for its whole ttl.
    const late = (token: string | false) => {
      if (token !== false) this.background('lock', () => this.unlock(full, token));
    };
    return this.soft(attempt, late).then((r) => (r === false ? null : r));
  }

  unlock(full: string, token: string): Promise<true | undefined> {
    return this.run('lock', () => this.l2.unlock(full, token));
  }

  /** On failure the keys' older L2 copies are dropped once Redis is back. */
  async set(writes: readonly L2Write[]): Promise<boolean> {
    const notify = this.notify({ keys: writes.map((write) => write.key) });
    const done = await this.run('set', () => this.l2.set(writes, notify));
    if (done === undefined) this.keepPending(() => this.pending.addKeys(writes.map((write) => write.key)));
    return done !== undefined;
  }

  /** How many keys held an entry; undefined on failure (the delete is replayed later). */
  async delete(fulls: readonly string[]): Promise<number | undefined> {
    const removed = await this.run('delete', () => this.l2.delete(fulls, this.notify({ keys: fulls })));
    if (removed === undefined) this.keepPending(() => this.pending.addKeys(fulls));
    return removed;
  }

  /** How many entries matching a full-key glob held data; undefined on failure (not replayed). */
  deleteMatching(pattern: string): Promise<number | undefined> {
    return this.run('invalidate', () => this.l2.deleteMatching(pattern, (keys) => this.notify({ keys })));
  }

  /**
   * True when bumped; false on failure (hard timeout, error, open circuit): not done. It is kept
   * pending and replayed before this instance's next Redis operation (and every REPLAY_RETRY_MS),
   * so no read or fill of this instance passes Redis before it; the local fence has it at once.
   * No soft timeout here.
   */
  async bump(deps: readonly string[]): Promise<boolean> {
    const done = await this.run('invalidate', () => this.l2.bump(deps, this.notify({ deps })));
    if (done === undefined) this.keepPending(() => this.pending.addDeps(deps));
    return done !== undefined;
  }

  /** Operations not sent because the circuit was open. */
  skipped = 0;
  /** Reads and fill steps given up on after the soft timeout (treated as misses). */
  softTimeouts = 0;
  /**
   * Until then Redis is known to be slower than the soft timeout: fills do not take the lock nor
   * write to L2 (each step would cost another soft timeout); reads still try and end it by
   * answering in time.
   */
  private slowUntil = 0;
  /** Fill steps not sent because Redis was slow. */
  slowSkips = 0;

  private slowNow(): boolean {
    if (this.slowUntil === 0 || Date.now() >= this.slowUntil) return false;
    this.slowSkips++;
    return true;
  }

  private replayTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** No more replays of its own (shutdown; the last one is flushPending's). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.replayTimer);
  }

  private keepPending(add: () => void): void {
    add();
    this.replayLater();
  }

  /** Retries pending invalidations every REPLAY_RETRY_MS until they reached Redis. */
  private replayLater(): void {
    if (this.replayTimer !== undefined || this.stopped) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = undefined;
      if (this.pending.size === 0) return;
      // run() never rejects: a failure is counted and logged there, and the next try scheduled.
      this.run('invalidate', async () => true).then(
        () => this.pending.size > 0 && this.replayLater(),
        () => this.replayLater(),
      );
    }, REPLAY_RETRY_MS);
    this.replayTimer.unref();
  }

  /**
   * Replays what failed while Redis was down; called when the client (re)connects. With nothing to
   * replay, a ping ends the failure burst: an idle instance must not report Redis down
   * (`stats().l2.failing`, `cache_l2_up`) until its next cache operation.
   */
  async flushPending(): Promise<void> {
    this.breaker?.reset();
    if (this.pending.size > 0) await this.run('invalidate', async () => true);
    else if (this.reporter.isFailing('l2')) await this.run('ping', () => this.l2.ping());
  }

  /** Undecodable bytes under one of our keys: counted as an error and removed. */
  dropCorrupt(full: string, error: unknown): void {
    this.reporter.report('l2', 'decode', error);
    this.background('delete', () => this.delete([full]));
  }

  /**
   * Runs a Redis step nobody waits for. `run` already reports its own errors; anything else it
   * throws is reported here, so it can never become an unhandled rejection.
   */
  background(operation: string, step: () => Promise<unknown>): void {
    Promise.resolve()
      .then(step)
      .catch((error: unknown) => this.reporter.report('l2', operation, error));
  }

  /**
   * Resolves undefined once `softTimeout` ms pass (the operation goes on, bounded by the command
   * timeout); `late` receives a result that arrives after that.
   */
  private soft<R>(operation: Promise<R | undefined>, late?: (result: R) => void): Promise<R | undefined> {
    return this.deadlines === undefined ? operation : this.deadlines.race(operation, late);
  }

  private async run<R extends NonNullable<unknown>>(operation: string, op: () => Promise<R>): Promise<R | undefined> {
    if (this.breaker && !this.breaker.allow()) {
      this.skipped++;
      return undefined;
    }
    const started = this.timer?.enabled ? performance.now() : undefined;
    try {
      if (this.pending.size > 0) await this.pending.flush(this.l2, this.notify);
      const result = await op();
      this.breaker?.success();
      this.reporter.recovered('l2');
      if (started !== undefined) this.timer!.record(operation, (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      this.breaker?.failure();
      this.reporter.report('l2', operation, error);
      return undefined;
    }
  }
}
