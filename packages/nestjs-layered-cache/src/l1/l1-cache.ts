import type { CacheEntry } from '../core/cache-entry.js';
import { LruStore, type L1Store, type L1StoreOptions } from './l1-store.js';
import { TinyLfuStore } from './tinylfu-store.js';
import { entryOverhead, valueFootprint } from './value-footprint.js';

/** How L1 picks what to keep: recency only, or W-TinyLFU (frequency-aware admission). */
export type L1Policy = 'lru' | 'tinylfu';

export interface L1Options {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes of memory kept: the decoded values' estimated heap plus each entry's bookkeeping. */
  maxBytes: number;
  /** Entries costing more than this many bytes of memory are not kept in L1. */
  maxEntryBytes: number;
  /** Eviction policy. Default 'lru'. */
  policy?: L1Policy;
  /** Seeds TinyLFU's hash salt and admission coin (benchmarks, tests); random unless given. */
  seed?: number;
}

/** An entry plus whether its value is deep-frozen (hand out as is) or must be cloned per read. */
export interface SharedEntry<T = unknown> extends CacheEntry<T> {
  shared: boolean;
}

interface L1Record extends SharedEntry {
  size: number;
}

/**
 * The in-process tier: a store bounded by entries and bytes (LRU or W-TinyLFU), with per-entry freshness and grace,
 * and an index from each dependency (tag or namespace) to the keys that carry it, so a tag
 * invalidation or a namespace clear evicts exactly the matching entries.
 */
export class L1Cache {
  private readonly store: L1Store<L1Record>;
  private readonly byDep = new Map<string, Set<string>>();
  /** Entries pushed out by the size or count limit (not by invalidation or expiry). */
  evictions = 0;
  /** Values larger than `maxEntryBytes`, kept out of L1. */
  oversized = 0;

  constructor(readonly options: L1Options) {
    const storeOptions: L1StoreOptions = {
      maxEntries: options.maxEntries,
      maxBytes: options.maxBytes,
      onRemove: (key, record, reason) => {
        if (reason === 'evict') this.evictions++;
        this.unindex(key, (record as L1Record).deps);
      },
    };
    this.store =
      options.policy === 'tinylfu'
        ? new TinyLfuStore<L1Record>({ ...storeOptions, seed: options.seed })
        : new LruStore<L1Record>(storeOptions);
  }

  /** The entry, if it is still fresh, within grace, or kept for fail-safe at `now`. */
  lookup(key: string, now: number): L1Record | undefined {
    const record = this.store.get(key);
    if (record === undefined) return undefined;
    if (now >= record.keepUntil) {
      this.store.delete(key);
      return undefined;
    }
    return record;
  }

  /**
   * Stores `entry`; its value must be the cache's own copy (never the caller's object). It is
   * charged the memory it takes (estimated from its structure; `byteLength`, its serialized size,
   * stands in for what a huge value's bounded walk did not reach).
   */
  set(key: string, entry: SharedEntry, byteLength: number): void {
    const { maxEntryBytes } = this.options;
    const size =
      entryOverhead(key, entry.deps, (dep) => this.byDep.has(dep)) +
      valueFootprint(entry.value, byteLength, maxEntryBytes);
    if (size > maxEntryBytes) {
      this.oversized++;
      this.store.delete(key);
      return;
    }
    // A literal, not `{ ...entry, size }`: V8 gives a spread copy a map with ~300 bytes of slack.
    const { value, shared, deps, storedAt, freshUntil, staleUntil, keepUntil } = entry;
    const record = { value, shared, deps, storedAt, freshUntil, staleUntil, keepUntil, size };
    this.store.set(key, record);
    // The policy may turn it away (or evict it at once): index only what it holds.
    if (this.store.peek(key) !== record) return;
    for (const dep of entry.deps) {
      let keys = this.byDep.get(dep);
      if (keys === undefined) this.byDep.set(dep, (keys = new Set()));
      keys.add(key);
    }
  }

  delete(key: string): void {
    this.store.delete(key);
  }

  /** Evicts every entry that depends on any of `deps`; returns how many were evicted. */
  evictDependents(deps: Iterable<string>): number {
    let evicted = 0;
    for (const dep of deps) {
      const keys = this.byDep.get(dep);
      if (keys === undefined) continue;
      for (const key of [...keys]) if (this.store.delete(key)) evicted++;
    }
    return evicted;
  }

  /** The keys `matches` accepts. O(entries): for rare pattern invalidations only. */
  keysMatching(matches: (key: string) => boolean): string[] {
    return [...this.store.keys()].filter(matches);
  }

  clear(): void {
    this.store.clear();
    this.byDep.clear();
  }

  get entries(): number {
    return this.store.size;
  }

  get bytes(): number {
    return this.store.calculatedSize;
  }

  private unindex(key: string, deps: readonly string[]): void {
    for (const dep of deps) {
      const keys = this.byDep.get(dep);
      if (keys === undefined) continue;
      keys.delete(key);
      if (keys.size === 0) this.byDep.delete(dep);
    }
  }
}
