import type { CacheSetOptions } from './cache-entry.js';
import type { InvalidationSource } from '../events/cache-events.interface.js';
import type { BusLink } from './bus-link.js';
import type { EntryCodec } from './entry-codec.js';
import { fillOf, toWrite, type FillDefaults } from './fill.js';
import type { LocalTier } from './local-tier.js';
import { tagDeps, type NamespacePath } from './namespace-path.js';
import type { RemoteTier } from './remote-tier.js';
import type { Telemetry } from './telemetry.js';

/**
 * Everything that changes the cache: writes and invalidations. Each evicts this instance's L1
 * synchronously, applies the change to Redis, and only once that succeeded tells the other
 * instances; a Redis failure is remembered and replayed on recovery.
 */
export class CacheWrites {
  constructor(
    private readonly config: FillDefaults,
    private readonly codec: EntryCodec,
    private readonly local: LocalTier,
    private readonly l2: RemoteTier | undefined,
    private readonly busLink: BusLink,
    private readonly telemetry: Telemetry,
  ) {}

  async set(ns: NamespacePath, key: string, value: unknown, options: CacheSetOptions = {}): Promise<void> {
    await this.mset(ns, [{ key, value, ...options }]);
  }

  async mset(
    ns: NamespacePath,
    entries: readonly ({ key: string; value: unknown } & CacheSetOptions)[],
  ): Promise<void> {
    const now = Date.now();
    const encoded = entries.map((entry) => {
      const fill = fillOf(this.config, ns, entry.key, ns.keyOf(entry.key), entry);
      return { fill, payload: this.codec.encode(fill.full, entry.value) };
    });
    const limit = this.config.maxValueBytes;
    const oversized = encoded.filter(({ payload }) => payload.length > limit);
    // Too big to cache: the key must not keep its previous value either.
    for (const { fill, payload } of oversized) this.telemetry.oversized(fill.key, payload.length, limit);
    if (oversized.length > 0) await this.deleteFull(oversized.map(({ fill }) => fill.full));
    const writes = encoded.filter(({ payload }) => payload.length <= limit);
    if (writes.length === 0) return;
    this.local.invalidate({ keys: writes.map(({ fill }) => fill.full) });
    const since = this.local.mark();
    // If Redis fails, this instance keeps the new value in L1 and the older L2 copy is dropped on recovery.
    await this.l2?.set(writes.map(({ fill, payload }) => toWrite(fill, payload)));
    for (const { fill, payload } of writes) {
      const entry = this.codec.local(fill.full, payload, fill.deps, now, fill);
      // Not if an invalidation of its tags arrived while Redis was being written.
      this.local.store(fill.full, entry, payload.length, since);
      this.telemetry.set(this.l2 ? 'l2' : 'l1', fill.key, payload.length);
    }
  }

  private async deleteFull(fulls: readonly string[]): Promise<void> {
    this.local.invalidate({ keys: fulls });
    await this.l2?.delete(fulls);
  }

  /** Removes a key everywhere; returns true if it held a value in L1 or L2. */
  async delete(ns: NamespacePath, key: string): Promise<boolean> {
    const full = ns.keyOf(key);
    const inL1 = this.local.lookup(full, Date.now()) !== undefined;
    this.local.invalidate({ keys: [full] });
    this.telemetry.delete(key);
    const removed = await this.l2?.delete([full]);
    return inL1 || (removed ?? 0) > 0;
  }

  /**
   * Invalidates every entry carrying any of `tags`, on every tier; O(1) per tag. Resolves false when
   * Redis did not take it now (it is replayed on reconnect): callers that must not lose it retry.
   */
  async invalidateTags(tags: readonly string[], source: InvalidationSource = 'api'): Promise<boolean> {
    if (tags.length === 0) return true;
    const done = await this.invalidate(tagDeps(tags));
    this.telemetry.events.emit('invalidate', { tags, source });
    return done;
  }

  /**
   * Removes the entries of `ns` whose keys match a glob (`*`, `?`, `[…]`), with SCAN on every
   * Redis master; returns how many Redis held. Nested namespaces are not matched.
   */
  async invalidatePattern(ns: NamespacePath, glob: string, source: InvalidationSource = 'api'): Promise<number> {
    const removed = await this.removeMatching(ns, glob);
    this.telemetry.events.emit('pattern', { namespace: ns.name, removed, source });
    return removed;
  }

  /** Invalidates everything in `ns` and the namespaces nested in it: one version bump. */
  async clear(ns: NamespacePath, source: InvalidationSource = 'api'): Promise<void> {
    await this.invalidate([`n:${ns.name}`]);
    this.telemetry.events.emit('clear', { namespace: ns.name, source });
  }

  private async removeMatching(ns: NamespacePath, glob: string): Promise<number> {
    const pattern = ns.keyOf(glob);
    const inL1 = this.local.invalidate({ patterns: [pattern] });
    if (!this.l2) return inL1;
    const deleted = await this.l2.deleteMatching(pattern);
    if (deleted !== undefined) return deleted;
    // Redis failed: which keys matched is unknown, so the whole namespace is invalidated on recovery.
    await this.l2.bump([`n:${ns.name}`]);
    return 0;
  }

  private async invalidate(deps: readonly string[]): Promise<boolean> {
    this.local.invalidate({ deps });
    this.telemetry.stats.invalidations += deps.length;
    return (await this.l2?.bump(deps)) ?? true;
  }
}
