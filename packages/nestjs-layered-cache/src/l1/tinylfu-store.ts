import { Admission } from './admission.js';
import { AccessDeque, PROBATION, PROTECTED, WINDOW, type Node } from './access-deque.js';
import { FrequencySketch, hashKey } from './frequency-sketch.js';
import type { L1Store, L1StoreOptions, Sized } from './l1-store.js';
import { countSighting, residentFrequency, retire } from './resident-count.js';
import { WindowClimber } from './window-climber.js';

export interface TinyLfuStoreOptions extends L1StoreOptions {
  /** Seeds the hash salt and the admission coin (benchmarks, tests); random unless given. */
  seed?: number;
}

/** The admission window starts at 1 % of the capacity; the climber moves it within these bounds. */
const INITIAL_WINDOW_SHARE = 0.01;
const MIN_WINDOW_SHARE = 0.01;
const MAX_WINDOW_SHARE = 0.8;
/** Share of the main space kept for entries hit again while on probation. */
const PROTECTED_SHARE = 0.8;
interface Limits {
  entries: number;
  bytes: number;
}

/**
 * W-TinyLFU (the policy of Caffeine): new entries enter a small LRU admission window; those it
 * pushes out compete with the least recently used entry of the main space (a segmented LRU:
 * probation, then protected once hit again), and the one seen more often recently stays (counts
 * of resident keys in their nodes, of the others in the frequency sketch: see resident-count.ts).
 * Scans and loops larger than the cache therefore cannot flush the popular entries, and a hill
 * climber widens the window when recency pays more than frequency.
 *
 * A hit on a protected entry does not move it (most hits are there): protected is kept in CLOCK
 * order, and an entry hit since it was placed goes round again instead of down to probation.
 * Same hit ratios as moving it on every hit (bench/l1-policy), a third cheaper per hit.
 *
 * Both bounds hold after every call: entries and charged bytes (entries have different sizes);
 * each segment's share applies to both.
 */
export class TinyLfuStore<V extends Sized> implements L1Store<V> {
  private readonly nodes = new Map<string, Node<V>>();
  private readonly window = new AccessDeque<V>(WINDOW);
  private readonly probation = new AccessDeque<V>(PROBATION);
  private readonly protectedMain = new AccessDeque<V>(PROTECTED);
  private readonly segments = [this.window, this.probation, this.protectedMain] as const;
  private readonly sketch: FrequencySketch;
  private readonly climber: WindowClimber;
  private readonly salt: number;
  private readonly admission: Admission;
  private windowShare = INITIAL_WINDOW_SHARE;
  /** Lookups so far: the clock of `Node.touched`. */
  private accesses = 0;
  /** Hits in the climber's current sample, and the lookup count that ends it. */
  private sampleHits = 0;
  private sampleEnd: number;
  private windowMax: Limits = { entries: 0, bytes: 0 };
  private protectedMax: Limits = { entries: 0, bytes: 0 };

  constructor(private readonly options: TinyLfuStoreOptions) {
    this.sketch = new FrequencySketch(options.maxEntries);
    this.climber = new WindowClimber(this.sketch.sampleSize);
    this.sampleEnd = this.climber.sampleSize;
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.salt = seed >>> 0;
    this.admission = new Admission(this.sketch, seed);
    this.resize();
  }

  get(key: string): V | undefined {
    const node = this.nodes.get(key);
    this.accesses++;
    if (node === undefined) {
      if (this.accesses >= this.sampleEnd) this.climb();
      return undefined;
    }
    node.touched = this.accesses;
    countSighting(node, this.sketch);
    this.onHit(node);
    this.sampleHits++;
    if (this.accesses >= this.sampleEnd) this.climb();
    return node.record;
  }

  peek(key: string): V | undefined {
    return this.nodes.get(key)?.record;
  }

  set(key: string, record: V): void {
    const existing = this.nodes.get(key);
    if (record.size > this.options.maxBytes) {
      // Could never fit: like lru-cache, drop the old record rather than keep a stale one.
      if (existing !== undefined) this.unlink(existing, 'replace');
      return;
    }
    if (existing !== undefined) {
      const previous = existing.record;
      existing.record = record;
      this.segments[existing.segment].resize(existing, record.size);
      this.options.onRemove(key, previous, 'replace');
      existing.touched = this.accesses;
      countSighting(existing, this.sketch);
      this.onHit(existing);
    } else {
      const hash = hashKey(key, this.salt);
      const node: Node<V> = {
        key,
        record,
        size: record.size,
        hash,
        segment: WINDOW,
        touched: this.accesses,
        // What the sketch remembers of the key; countSighting below adds this sighting.
        count: this.sketch.frequency(hash),
        epoch: this.sketch.resets,
        placed: 0,
        prev: undefined,
        next: undefined,
      };
      this.nodes.set(key, node);
      countSighting(node, this.sketch);
      this.window.push(node);
    }
    this.evictFromMain(this.evictFromWindow());
  }

  delete(key: string): boolean {
    const node = this.nodes.get(key);
    if (node === undefined) return false;
    this.unlink(node, 'delete');
    return true;
  }

  keys(): IterableIterator<string> {
    return this.nodes.keys();
  }

  clear(): void {
    const removed = [...this.nodes.values()];
    this.nodes.clear();
    for (const segment of this.segments) segment.clear();
    for (const node of removed) this.options.onRemove(node.key, node.record, 'delete');
  }

  get size(): number {
    return this.nodes.size;
  }

  get calculatedSize(): number {
    return this.window.bytes + this.probation.bytes + this.protectedMain.bytes;
  }

  /** The admission window's current share of the capacity (0–1), for tests and stats. */
  get windowFraction(): number {
    return this.windowShare;
  }

  /** How often `key` was seen recently (0–15): its own count if resident, else the sketch's estimate. */
  frequency(key: string): number {
    const node = this.nodes.get(key);
    return node === undefined ? this.sketch.frequency(hashKey(key, this.salt)) : residentFrequency(node, this.sketch);
  }

  private onHit(node: Node<V>): void {
    if (node.segment === WINDOW) this.window.touch(node);
    else if (node.segment === PROBATION) {
      this.probation.remove(node);
      node.placed = this.accesses;
      this.protectedMain.push(node);
      this.demoteOverflow();
    }
  }

  /**
   * Protected entries beyond its share go back to probation (most recent end), oldest first; one
   * hit since it was placed sends an entry round protected once more instead (CLOCK's second
   * chance). Each extra round is paid for by a hit before it: amortized O(1) per access.
   */
  private demoteOverflow(): void {
    const segment = this.protectedMain;
    while (segment.head !== undefined && over(segment, this.protectedMax)) {
      const node = segment.head;
      segment.remove(node);
      if (node.touched > node.placed) {
        node.placed = this.accesses;
        segment.push(node);
        continue;
      }
      this.probation.push(node);
    }
  }

  /** Moves the window's overflow to probation; returns the first moved (the oldest candidate). */
  private evictFromWindow(): Node<V> | undefined {
    let first: Node<V> | undefined;
    while (this.window.head !== undefined && over(this.window, this.windowMax)) {
      const node = this.window.head;
      this.window.remove(node);
      this.probation.push(node);
      first ??= node;
    }
    return first;
  }

  /**
   * While over a bound, pits the candidates (entries just moved out of the window, oldest first)
   * against the victims (probation's least recently used, then protected's, then the window's)
   * and evicts the loser of each contest. A probation victim that wins goes to probation's most
   * recent end (a second chance, as in CLOCK): the next newcomer meets the next victim, so one
   * over-counted entry (a sketch collision, a key that was hot an hour ago) cannot turn away
   * every newcomer until the sketch ages it.
   */
  private evictFromMain(firstCandidate: Node<V> | undefined): void {
    let candidate = firstCandidate;
    let victimSegment = PROBATION;
    let victim = this.probation.head;
    while (this.nodes.size > this.options.maxEntries || this.calculatedSize > this.options.maxBytes) {
      if (victim === undefined && candidate === undefined) {
        if (victimSegment === PROBATION) {
          victimSegment = PROTECTED;
          victim = this.protectedMain.head;
        } else if (victimSegment === PROTECTED) {
          victimSegment = WINDOW;
          victim = this.window.head;
        } else return;
        continue;
      }
      if (victim === undefined || candidate === undefined || victim === candidate) {
        const loser = (victim ?? candidate)!;
        if (victim === candidate) candidate = undefined;
        if (loser === victim) victim = loser.next;
        else candidate = loser.next;
        this.unlink(loser, 'evict');
      } else if (this.admission.admits(candidate, victim, this.accesses)) {
        const loser = victim;
        victim = loser.next;
        this.unlink(loser, 'evict');
      } else {
        const loser = candidate;
        candidate = loser.next;
        this.unlink(loser, 'evict');
        if (victimSegment === PROBATION && victim !== candidate) {
          this.probation.touch(victim);
          victim = this.probation.head;
        }
      }
    }
  }

  private unlink(node: Node<V>, reason: 'evict' | 'delete' | 'replace'): void {
    retire(node, this.sketch);
    this.segments[node.segment].remove(node);
    this.nodes.delete(node.key);
    this.options.onRemove(node.key, node.record, reason);
  }

  /** At the end of each sample of lookups, lets the climber move the window's share. */
  private climb(): void {
    const change = this.climber.adjust(this.sampleHits);
    this.sampleHits = 0;
    this.sampleEnd = this.accesses + this.climber.sampleSize;
    const share = Math.min(MAX_WINDOW_SHARE, Math.max(MIN_WINDOW_SHARE, this.windowShare + change));
    if (share === this.windowShare) return;
    this.windowShare = share;
    this.resize();
    // A smaller window hands its oldest entries to probation now; a larger one fills as keys arrive.
    this.evictFromWindow();
    this.demoteOverflow();
  }

  private resize(): void {
    const { maxEntries, maxBytes } = this.options;
    const share = (max: number, fraction: number) => max - Math.floor(max * (1 - fraction));
    this.windowMax = { entries: share(maxEntries, this.windowShare), bytes: share(maxBytes, this.windowShare) };
    const main = { entries: maxEntries - this.windowMax.entries, bytes: maxBytes - this.windowMax.bytes };
    this.protectedMax = {
      entries: Math.floor(main.entries * PROTECTED_SHARE),
      bytes: Math.floor(main.bytes * PROTECTED_SHARE),
    };
  }
}

function over(segment: AccessDeque<unknown>, max: Limits): boolean {
  return segment.entries > max.entries || segment.bytes > max.bytes;
}
