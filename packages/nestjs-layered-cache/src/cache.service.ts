import { Inject, Injectable, Optional } from '@nestjs/common';
import { CacheView } from './cache-view.js';
import { CACHE_ROOT_NAMESPACE, CACHE_STACK } from './cache.internal-constants.js';
import type { CacheStack } from './core/cache-stack.js';
import type { NamespacePath } from './core/namespace-path.js';
import type { CircuitState } from './core/circuit-breaker.js';
import type {
  CacheEventListener,
  CacheEventMap,
  CacheEventName,
  CacheRequestAnswer,
  CacheRequestName,
} from './events/cache-events.interface.js';
import { HttpCacheContext } from './http/http-cache.context.js';
import { HttpCacheStats } from './http/http-cache.stats.js';

/** Counters since boot, plus the current size of L1. */
export interface CacheStatsSnapshot {
  /** L1: sizes now and limits (entries, bytes); evictions by the limits; values too big for it. */
  l1: {
    hits: number;
    entries: number;
    bytes: number;
    maxEntries: number;
    maxBytes: number;
    evictions: number;
    oversized: number;
  } | null;
  /**
   * `failing`: Redis operations fail right now (from the first error to the next success or reconnect).
   * `circuit`: closed, open (Redis skipped) or half-open; `skipped`: operations not sent while open;
   * `softTimeouts`: reads and fill steps Redis answered too slowly, served as misses; `slowSkips`:
   * fill steps (lock, L2 write) not sent for a second after one, while Redis was slow.
   */
  l2: {
    hits: number;
    failing: boolean;
    circuit: CircuitState;
    circuitOpens: number;
    skipped: number;
    softTimeouts: number;
    slowSkips: number;
  } | null;
  staleHits: number;
  misses: number;
  sets: number;
  deletes: number;
  invalidations: number;
  fillsRefused: number;
  refreshFailures: number;
  /** Answers given by an expired entry because its loader failed or was backing off (fail-safe). */
  failSafe: number;
  /** getOrSet misses that waited for another instance's fill (the stampede lock), and waits that timed out. */
  lockWaits: number;
  lockTimeouts: number;
  corrupt: number;
  /** Values over `maxValueBytes`, returned or accepted but not cached. */
  oversized: number;
  errors: number;
  /** Event listeners that threw (or answered a request with a rejection); the cache went on. */
  listenerErrors: number;
  /** Times invalidations pending during a Redis outage overflowed and everything was invalidated. */
  pendingOverflows: number;
  /** Cross-instance invalidation; null when there is no bus (no L1, no Redis, or `bus: false`). */
  bus: {
    trusted: boolean;
    received: number;
    malformed: number;
    disconnects: number;
    staleBoundMs: number | null;
    missedBeats: number;
  } | null;
  /** What `@CacheRoute` / `@CacheEvict` did on HTTP requests. */
  http: HttpCacheStats;
}

/** The cache, rooted at the module's namespace. Inject it anywhere once `CacheModule` is imported. */
@Injectable()
export class CacheService extends CacheView {
  constructor(
    @Inject(CACHE_STACK) stack: CacheStack,
    @Inject(CACHE_ROOT_NAMESPACE) root: NamespacePath,
    @Optional() @Inject(HttpCacheContext) private readonly http?: HttpCacheContext,
  ) {
    super(stack, root);
  }

  /**
   * Subscribes to the module's typed events: the engine's and its features' (metrics, the admin
   * dashboard, the warming tracker); returns the unsubscribe function. A listener that throws is
   * counted in `stats().listenerErrors` and never breaks the operation that emitted.
   */
  on<E extends CacheEventName>(name: E, listener: CacheEventListener<E>): () => void {
    return this.stack.events.on(name, listener);
  }

  /** Emits a feature's event (declared by merging into `CacheEventMap`) to this module's listeners. */
  emit<E extends CacheEventName>(name: E, event: CacheEventMap[E]): void {
    this.stack.events.emit(name, event);
  }

  /** Asks request event `name` of every listener (e.g. gauges read at scrape time); resolves with their answers. */
  request<E extends CacheRequestName>(name: E): Promise<CacheRequestAnswer<E>[]> {
    return this.stack.events.request(name);
  }

  stats(): CacheStatsSnapshot {
    const { l1, l2, stats } = this.stack;
    return {
      l1: l1
        ? {
            hits: stats.l1Hits,
            entries: l1.entries,
            bytes: l1.bytes,
            maxEntries: l1.options.maxEntries,
            maxBytes: l1.options.maxBytes,
            evictions: l1.evictions,
            oversized: l1.oversized,
          }
        : null,
      l2: l2
        ? {
            hits: stats.l2Hits,
            failing: this.stack.l2Failing,
            circuit: l2.breaker?.state ?? 'closed',
            circuitOpens: l2.breaker?.opens ?? 0,
            skipped: l2.skipped,
            softTimeouts: l2.softTimeouts,
            slowSkips: l2.slowSkips,
          }
        : null,
      staleHits: stats.staleHits,
      misses: stats.misses,
      sets: stats.sets,
      deletes: stats.deletes,
      invalidations: stats.invalidations,
      fillsRefused: stats.fillsRefused,
      refreshFailures: stats.refreshFailures,
      failSafe: this.stack.failSafe.served,
      lockWaits: stats.lockWaits,
      lockTimeouts: stats.lockTimeouts,
      corrupt: stats.corrupt,
      oversized: stats.oversized,
      errors: this.stack.errors,
      listenerErrors: this.stack.events.listenerErrors,
      pendingOverflows: this.stack.l2?.pendingOverflows ?? 0,
      bus: this.stack.busState(),
      http: { ...(this.http?.stats ?? new HttpCacheStats()) },
    };
  }
}
