import { BatchReads } from './batch-reads.js';
import type { Logger } from '@nestjs/common';
import { CacheEvents } from '../events/cache-events.js';
import type { L1Cache, SharedEntry } from '../l1/l1-cache.js';
import { valueOf } from '../l1/value-guard.js';
import type { L2Cache } from '../l2/l2-cache.js';
import type { PayloadCodec } from '../serialization/payload.codec.js';
import type { CacheSetOptions, Loader } from './cache-entry.js';
import { CacheStats } from './cache-stats.js';
import { EntryCodec } from './entry-codec.js';
import { BackgroundTask } from '../errors/background-task.js';
import { ErrorReporter } from './error-reporter.js';
import { FillLock } from './fill-lock.js';
import { LocalTier } from './local-tier.js';
import { CacheFills, type FillResult } from './cache-fills.js';
import { RemoteReads } from './remote-reads.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { fillOf } from './fill.js';
import { CacheWrites } from './cache-writes.js';
import { PendingTagFence } from './pending-tag-fence.js';
import type { NamespacePath } from './namespace-path.js';
import { RemoteTier } from './remote-tier.js';
import { KeyLoads } from './key-loads.js';
import type { BusListener, CacheBus } from '../bus/index.js';
import { BusLink, type BusState } from './bus-link.js';
import { Telemetry } from './telemetry.js';
import { FailSafe } from './fail-safe.js';
import type { StackConfig } from './stack-config.js';

export type { Loader } from './cache-entry.js';

/**
 * The engine: L1 → L2 → loader, with in-process single-flight, grace, fill compare-and-set, a
 * local fence against stale L1 refills, and fail-open handling of every Redis error.
 */
export class CacheStack {
  readonly events: CacheEvents;
  readonly stats = new CacheStats();
  readonly l2: RemoteTier | undefined;
  private readonly reporter: ErrorReporter;
  private readonly codec: EntryCodec;
  private readonly loads: KeyLoads;
  private readonly local: LocalTier;
  private readonly telemetry: Telemetry;
  private readonly busLink: BusLink;
  /** set, delete and every kind of invalidation. */
  readonly writes: CacheWrites;
  private readonly fills: CacheFills;
  /** Present when there is an L2. */
  private readonly reads: RemoteReads | undefined;
  private readonly batch: BatchReads;
  /** Tags of uncommitted transactions in this process; see PendingTagFence. */
  readonly pendingTags: PendingTagFence;
  readonly failSafe: FailSafe;
  /** Whether someone listens to `access` (the warming module's tracker), read on every get. */
  private readonly accessed: { readonly on: boolean };

  constructor(
    private readonly config: StackConfig,
    codec: PayloadCodec,
    readonly l1: L1Cache | undefined,
    l2: L2Cache | undefined,
    logger: Pick<Logger, 'warn' | 'log'>,
  ) {
    this.events = new CacheEvents(logger);
    this.accessed = this.events.flag('access');
    this.reporter = new ErrorReporter(logger, this.events);
    this.failSafe = new FailSafe(config.failSafeRetry);
    this.codec = new EntryCodec(codec);
    this.local = new LocalTier(l1);
    this.telemetry = new Telemetry(this.stats, this.events, config.keyGroup, logger);
    this.busLink = new BusLink(this.local, this.telemetry);
    this.l2 =
      l2 &&
      new RemoteTier(
        l2,
        this.reporter,
        (message) => this.busLink.notify(message),
        `n:${config.rootNamespace}`,
        this.telemetry.l2Timer,
        config.circuit ? new CircuitBreaker(config.circuit) : undefined,
        config.softTimeout,
      );
    this.reads = this.l2 && new RemoteReads(this.l2, this.local, this.codec, this.stats);
    this.batch = new BatchReads(this.local, this.reads, this.telemetry);
    this.writes = new CacheWrites(config, this.codec, this.local, this.l2, this.busLink, this.telemetry);
    this.pendingTags = new PendingTagFence(config.maxTransactionHold, (tags) => {
      logger.warn(
        `A transaction held tags ${tags.join(', ')} for over ${config.maxTransactionHold} ms and its commit or rollback was never seen: they are invalidated and released.`,
      );
      this.writes.invalidateTags(tags, 'subscriber').catch(() => undefined);
    });
    let lock: FillLock | undefined;
    if (this.l2 && config.lock) {
      const readFresh = async (full: string) => {
        const entry = (await this.reads!.many([full]))[0];
        return entry !== undefined && Date.now() < entry.freshUntil ? entry : undefined;
      };
      lock = new FillLock(this.l2, config.lock, readFresh, this.stats);
    }
    this.fills = new CacheFills(
      this.codec,
      this.local,
      this.l2,
      this.telemetry,
      this.pendingTags,
      lock,
      config.maxValueBytes,
    );
    this.loads = new KeyLoads(this.local, this.fills);
  }

  /** Connects the bus (see BusLink): until it is subscribed, L1 is bypassed. */
  attachBus(bus: CacheBus): void {
    this.busLink.attach(bus);
  }

  get busListener(): BusListener {
    return this.busLink.listener;
  }

  busState(): BusState | null {
    return this.busLink.state();
  }

  /** Work nobody awaits: errors go to `cache_errors_total{layer="l2",operation}`, logged once per outage. */
  backgroundTask(what: string, operation: string, logger: Pick<Logger, 'warn' | 'log'>): BackgroundTask {
    return new BackgroundTask(what, logger, (error) => this.reporter.count('l2', operation, error));
  }

  get errors(): number {
    return this.reporter.errors;
  }

  /** True while Redis operations fail (from the first error to the next success). */
  get l2Failing(): boolean {
    return this.reporter.isFailing('l2');
  }

  /** Replays invalidations that failed while Redis was down; called when the client reconnects. */
  async flushPending(): Promise<void> {
    await this.l2?.flushPending();
  }

  /** Shutdown: stops retrying pending invalidations on a timer (flushPending is the last try). */
  stopReplays(): void {
    this.l2?.stop();
  }

  /** The hit path is synchronous (no async frame); only a miss in L1 pays for one. */
  get<T>(ns: NamespacePath, key: string): Promise<T | undefined> {
    if (this.accessed.on) this.events.emit('access', { namespace: ns.name, key });
    try {
      // Stored values are never undefined, so undefined from peek is an L1 miss.
      const local = this.peek<T>(ns, key);
      if (local !== undefined) return Promise.resolve(local);
      return this.getRemote<T>(key, ns.keyOf(key), Date.now());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** The fresh L1 value, synchronously, or undefined (a miss is not counted: the caller goes on). */
  peek<T>(ns: NamespacePath, key: string): T | undefined {
    const full = ns.keyOf(key);
    const now = Date.now();
    const local = this.local.lookup(full, now);
    return local !== undefined && now < local.freshUntil ? this.hit<T>('l1', key, local) : undefined;
  }

  private async getRemote<T>(key: string, full: string, now: number): Promise<T | undefined> {
    const remote = this.l2 && (await this.reads!.one(full));
    if (remote !== undefined && now < remote.freshUntil) return this.hit('l2', key, remote);
    this.miss(key);
    return undefined;
  }

  mget<T>(ns: NamespacePath, keys: readonly string[]): Promise<(T | undefined)[]> {
    return this.batch.read(ns, keys, (value: T) => value);
  }

  /** Like `mget`, with the instant each value stops being fresh (cache-manager's `expires`). */
  mgetWithExpiry<T>(
    ns: NamespacePath,
    keys: readonly string[],
  ): Promise<({ value: T; expiresAt: number } | undefined)[]> {
    return this.batch.read(ns, keys, (value: T, expiresAt) => ({ value, expiresAt }));
  }

  getOrSet<T>(ns: NamespacePath, key: string, loader: Loader<T>, options?: CacheSetOptions): Promise<T> {
    if (this.accessed.on) this.events.emit('access', { namespace: ns.name, key });
    try {
      const full = ns.keyOf(key);
      const now = Date.now();
      const local = this.local.lookup(full, now);
      if (local !== undefined && now < local.freshUntil) return Promise.resolve(this.hit<T>('l1', key, local));
      return this.resolve(ns, key, full, now, local, loader, options ?? {});
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * L1 missed or is stale: L2, then grace, then the (single-flight) loader; if that fails, an
   * expired entry kept for fail-safe stands in for it. Concurrent misses of a key share one L2 read
   * and one load whatever the scheduling: a caller arriving while a load runs joins it at once.
   */
  private async resolve<T>(
    ns: NamespacePath,
    key: string,
    full: string,
    now: number,
    local: SharedEntry | undefined,
    loader: Loader<T>,
    options: CacheSetOptions,
  ): Promise<T> {
    const fill = fillOf(this.config, ns, key, full, options);
    // Never join a read or load that started before an invalidation this caller has already seen.
    const canJoin = (mark: number) => this.local.unchangedSince(mark, full, fill.deps);
    // An entry past its freshness: within grace (serve it, refresh behind) or kept for fail-safe.
    let kept = local;
    let keptLayer: 'l1' | 'l2' = 'l1';
    // A caller that missed joins a running load at once (see KeyLoads.running); else one shared L2 read.
    const running = kept === undefined ? this.loads.running(full, canJoin) : undefined;
    if (running === undefined && this.l2) {
      const remote = await this.loads.read(full, () => this.reads!.one(full), canJoin);
      if (remote !== undefined && now < remote.freshUntil) return this.hit('l2', key, remote);
      if (kept === undefined && remote !== undefined) [kept, keptLayer] = [remote, 'l2'];
    }
    // The loader failed moments ago: the kept entry answers until its backoff ends.
    if (kept !== undefined && this.failSafe.backingOff(full, now)) return this.standIn(keptLayer, key, kept);
    let ours = false;
    const start = () => {
      ours = true;
      return this.failSafe.track(full, this.fills.locked(fill, loader));
    };
    const load = running ?? this.loads.run(full, start, canJoin);
    if (ours && kept !== undefined) this.loads.markRefreshing(full, load);
    if (kept !== undefined && now < kept.staleUntil) {
      // Serve the stale value now; one background refresh replaces it. Its failure is counted once.
      if (ours) load.catch(() => this.stats.refreshFailures++);
      return this.hit(keptLayer, key, kept, true);
    }
    this.miss(key);
    let result: FillResult;
    try {
      result = await load;
    } catch (error) {
      if (kept === undefined || !this.failSafe.covers(error)) throw error;
      this.failSafe.served++; // counted once, as the miss it was
      return valueOf<T>(kept);
    }
    if (ours || result.stored) return valueOf<T>(result.entry);
    return valueOf<T>(await this.loads.reload(full, fill, loader, canJoin));
  }

  async has(ns: NamespacePath, key: string): Promise<boolean> {
    return (await this.get(ns, key)) !== undefined;
  }

  /**
   * Loads `key` now, fresh or not, and stores the result with the same compare-and-set as a fill:
   * a value whose dependencies moved while it loaded is returned but not stored. Concurrent
   * refreshes of one key share one load. For warmers and refresh-ahead.
   */
  async refresh<T>(
    ns: NamespacePath,
    key: string,
    loader: Loader<T>,
    options: CacheSetOptions = {},
  ): Promise<{ value: T; stored: boolean }> {
    const full = ns.keyOf(key);
    const fill = fillOf(this.config, ns, key, full, options);
    // Not through the fill lock: it would hand back the entry that is still fresh, the one to replace.
    const load = this.loads.run(
      full,
      () => this.fills.loadAndStore(fill, loader),
      (mark) => this.local.unchangedSince(mark, full, fill.deps),
    );
    // Callers arriving meanwhile still read L2: an entry kept for fail-safe may answer if it fails.
    this.loads.markRefreshing(full, load);
    const result = await load;
    return { value: valueOf<T>(result.entry), stored: result.stored };
  }

  /** Fail-safe: an expired entry answers for a loader that failed (RFC 5861 stale-if-error). */
  private standIn<T>(layer: 'l1' | 'l2', key: string, entry: SharedEntry): T {
    this.failSafe.served++;
    return this.hit(layer, key, entry, true);
  }

  private hit<T>(layer: 'l1' | 'l2', key: string, entry: SharedEntry, stale = false): T {
    this.telemetry.hit(layer, key, stale);
    return valueOf<T>(entry);
  }

  private miss(key: string): void {
    this.telemetry.miss(key);
  }
}
