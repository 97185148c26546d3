import {
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { CacheService } from '../cache.service.js';
import type { CacheView } from '../cache-view.js';
import { CACHE_L2_INSPECTOR } from '../cache.internal-constants.js';
import type { InspectedKey, L2Inspector } from '../l2/l2-inspector.js';
import type { ClearBody, InvalidateBody, KeysQuery } from './cache-admin.dto.js';
import { CACHE_ADMIN_OPTIONS, type CacheAdminOptions } from '../access/cache-admin.options.js';
import { GroupTrafficTracker } from './group-traffic.js';
import { recommend, type Recommendation } from './recommendations.js';
import { StatsHistory, type StatsSample } from './stats-history.js';

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** What the admin routes do; every mutation is logged with who asked and counted. */
@Injectable()
export class CacheAdminService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('CacheAdmin');
  private readonly started = Date.now();
  private readonly traffic: GroupTrafficTracker;
  private readonly history: StatsHistory;
  /** Mutating admin calls by action, since boot. */
  readonly actions: Record<'invalidate' | 'clear', number> = { invalidate: 0, clear: 0 };
  private redisFacts: { at: number; value: Promise<RedisFacts | undefined> } | undefined;
  private readonly recent: RecentInvalidation[] = [];
  private readonly off: (() => void)[] = [];
  private historyTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(CacheService) private readonly cache: CacheService,
    @Inject(CACHE_L2_INSPECTOR) private readonly inspector: L2Inspector | null,
    @Inject(CACHE_ADMIN_OPTIONS) private readonly options: CacheAdminOptions,
  ) {
    this.traffic = new GroupTrafficTracker(cache);
    this.history = new StatsHistory(options.historySize ?? 360);
  }

  /** Samples the dashboard's history on an interval of its own (stats() is synchronous and cannot fail). */
  onModuleInit(): void {
    this.history.add(this.cache.stats());
    this.historyTimer = setInterval(() => this.history.add(this.cache.stats()), this.options.historyInterval ?? 5000);
    this.historyTimer.unref();
    const remember = (entry: Omit<RecentInvalidation, 'at'>) => {
      this.recent.unshift({ at: new Date().toISOString(), ...entry });
      this.recent.length = Math.min(this.recent.length, 20);
    };
    this.off.push(
      this.cache.on('invalidate', (e) =>
        remember({ kind: 'tag', source: e.source, what: e.tags.slice(0, 10).join(', ') }),
      ),
      this.cache.on('clear', (e) => remember({ kind: 'namespace', source: e.source, what: e.namespace })),
      this.cache.on('pattern', (e) =>
        remember({ kind: 'pattern', source: e.source, what: `${e.namespace} (${e.removed} keys)` }),
      ),
    );
  }

  /** Counters per layer with rates, L1 and Redis sizes, bus and HTTP state, busiest key groups. */
  async stats(): Promise<Record<string, unknown>> {
    const s = this.cache.stats();
    const reads = (s.l1?.hits ?? 0) + (s.l2?.hits ?? 0) + s.staleHits + s.misses;
    const afterL1 = reads - (s.l1?.hits ?? 0);
    const redis = await this.redis();
    return {
      uptimeSeconds: Math.round((Date.now() - this.started) / 1000),
      reads: {
        total: reads,
        hits: reads - s.misses - s.staleHits,
        staleHits: s.staleHits,
        misses: s.misses,
        hitRate: rate(reads - s.misses, reads),
      },
      l1: s.l1 && { ...s.l1, misses: afterL1, hitRate: rate(s.l1.hits, reads) },
      l2: s.l2 && {
        ...s.l2,
        misses: s.misses + s.staleHits,
        hitRate: rate(s.l2.hits, afterL1),
        keys: redis?.keys,
        memory: redis && { usedBytes: redis.usedMemory, maxBytes: redis.maxMemory },
        evictedKeys: redis?.evictedKeys,
      },
      writes: { sets: s.sets, deletes: s.deletes, invalidations: s.invalidations, fillsRefused: s.fillsRefused },
      errors: { total: s.errors, corrupt: s.corrupt, refreshFailures: s.refreshFailures, lockTimeouts: s.lockTimeouts },
      bus: s.bus,
      http: {
        ...s.http,
        hitRate: rate(
          s.http.hits + s.http.notModified,
          s.http.hits + s.http.notModified + s.http.misses + s.http.stale + s.http.bypasses,
        ),
      },
      topGroups: this.traffic
        .top(10)
        .map((g) => ({ ...g, hitRate: rate(g.hits + g.staleHits, g.hits + g.staleHits + g.misses) })),
      recentInvalidations: [...this.recent],
      admin: { ...this.actions },
    };
  }

  /** Applies a validated body; returns how many of each kind were invalidated. */
  async invalidate(body: InvalidateBody, who: string): Promise<{ keys: number; tags: number; pattern: number }> {
    const view = this.view(body.namespace);
    const deleted = await Promise.all((body.keys ?? []).map((key) => view.delete(key)));
    if (body.tags?.length) await this.cache.invalidateTags(body.tags, 'admin');
    const removed = body.pattern === undefined ? 0 : await view.invalidatePattern(body.pattern, 'admin');
    const result = { keys: deleted.filter(Boolean).length, tags: body.tags?.length ?? 0, pattern: removed };
    this.actions.invalidate++;
    this.logger.log(
      `${who} invalidated in ${view.namespaceName}: ${result.keys}/${body.keys?.length ?? 0} keys, ${result.tags} tags${body.pattern === undefined ? '' : `, pattern "${body.pattern}" (${removed} keys)`}`,
    );
    return result;
  }

  async clear(body: ClearBody, who: string): Promise<{ namespace: string }> {
    const view = this.view(body.namespace);
    await view.clear('admin');
    this.actions.clear++;
    this.logger.log(`${who} cleared namespace ${view.namespaceName}`);
    return { namespace: view.namespaceName };
  }

  /** One SCAN page of stored entries of a namespace (Redis only: L1 holds copies of them). */
  async keys(query: KeysQuery): Promise<{ cursor: string; keys: (Omit<InspectedKey, 'key'> & { key: string })[] }> {
    if (!this.inspector) return { cursor: '0', keys: [] };
    const view = this.view(query.namespace);
    const prefix = view.fullKey('x').slice(0, -1);
    const page = await this.inspector.scan(view.fullKey(query.pattern), query.cursor, query.count).catch((error) => {
      throw new ServiceUnavailableException(`Redis could not list keys: ${(error as Error).message}`);
    });
    return { cursor: page.cursor, keys: page.keys.map((k) => ({ ...k, key: k.key.slice(prefix.length) })) };
  }

  async recommendations(): Promise<Recommendation[]> {
    const redis = await this.redis();
    return recommend({ stats: this.cache.stats(), groups: this.traffic.top(50), redis });
  }

  historySamples(): StatsSample[] {
    return this.history.all();
  }

  onModuleDestroy(): void {
    clearInterval(this.historyTimer);
    this.traffic.close();
    for (const off of this.off.splice(0)) off();
  }

  private view(namespace: string | undefined): CacheView {
    let view: CacheView = this.cache;
    for (const segment of namespace?.split('.') ?? []) view = view.namespace(segment);
    return view;
  }

  /** INFO and a key count are not free: asked at most every 10 s. */
  private redis(): Promise<RedisFacts | undefined> {
    if (!this.inspector) return Promise.resolve(undefined);
    if (this.redisFacts && Date.now() - this.redisFacts.at < 10_000) return this.redisFacts.value;
    const inspector = this.inspector;
    const value = (async () => {
      try {
        const [info, keys] = await Promise.all([inspector.info(), inspector.countEntries()]);
        return {
          usedMemory: Number(info.used_memory ?? 0),
          maxMemory: Number(info.maxmemory ?? 0),
          evictedKeys: Number(info.evicted_keys ?? 0),
          keys,
        };
      } catch {
        return undefined; // Redis down: the stats say so through l2.failing
      }
    })();
    this.redisFacts = { at: Date.now(), value };
    return value;
  }
}

interface RecentInvalidation {
  at: string;
  kind: 'tag' | 'namespace' | 'pattern';
  source: string;
  what: string;
}

interface RedisFacts {
  usedMemory: number;
  maxMemory: number;
  evictedKeys: number;
  keys: { count: number; exact: boolean };
}
