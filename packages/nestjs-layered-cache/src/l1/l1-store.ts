import { LRUCache } from 'lru-cache';

/** Why a record left the store: pushed out by a bound, removed, or overwritten by a new record. */
export type L1RemovalReason = 'evict' | 'delete' | 'replace';

/** What the store needs of a record: its charged size in bytes. */
export interface Sized {
  size: number;
}

export interface L1StoreOptions {
  maxEntries: number;
  maxBytes: number;
  /** Called synchronously for every record that leaves the store, whatever the reason. */
  onRemove: (key: string, record: Sized, reason: L1RemovalReason) => void;
}

/**
 * The eviction policy behind L1: a map bounded by entries and bytes that picks its own victims.
 * Every removal goes through `onRemove`, so the dependency index above it stays exact.
 */
export interface L1Store<V extends Sized> {
  /** The record, counted as an access (it may be promoted). */
  get(key: string): V | undefined;
  /** The record, without counting an access. */
  peek(key: string): V | undefined;
  /** Stores the record, evicting others to fit; a record larger than `maxBytes` is not kept. */
  set(key: string, record: V): void;
  delete(key: string): boolean;
  keys(): IterableIterator<string>;
  clear(): void;
  readonly size: number;
  readonly calculatedSize: number;
}

/** Plain LRU (lru-cache): recency only. */
export class LruStore<V extends Sized> implements L1Store<V> {
  private readonly lru: LRUCache<string, V>;

  constructor(options: L1StoreOptions) {
    this.lru = new LRUCache<string, V>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (record) => record.size,
      dispose: (record, key, reason) =>
        options.onRemove(key, record, reason === 'evict' ? 'evict' : reason === 'set' ? 'replace' : 'delete'),
    });
  }

  get(key: string): V | undefined {
    return this.lru.get(key);
  }

  peek(key: string): V | undefined {
    return this.lru.peek(key);
  }

  set(key: string, record: V): void {
    this.lru.set(key, record);
  }

  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  keys(): IterableIterator<string> {
    return this.lru.keys();
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }

  get calculatedSize(): number {
    return this.lru.calculatedSize;
  }
}
