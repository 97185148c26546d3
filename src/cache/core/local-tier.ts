import type { BusMessage } from '../bus/bus-message.js';
import { globToRegExp, type L1Cache, type SharedEntry } from '../l1/l1-cache.js';
import { InvalidationLog } from './invalidation-log.js';

/** An invalidation applied to L1: a bus message, or a local pattern removal. */
export interface LocalInvalidation extends BusMessage {
  /** Full-key glob patterns (this instance's own `invalidatePattern`). */
  patterns?: readonly string[];
}

/** `k:<full key>` is how a key's own writes are recorded: entries may depend on other keys. */
export const keyDep = (full: string): string => `k:${full}`;

/**
 * L1 as the stack sees it: bypassed while it cannot be trusted (bus down), and guarded by the
 * local fence, so a fill or an L2 read that raced with an invalidation is never stored in it.
 */
export class LocalTier {
  private readonly fence = new InvalidationLog();
  /** Recent pattern invalidations (rare, admin): a fill or read of a matching key started before is not stored. */
  private patterns: { at: number; regex: RegExp }[] = [];
  private trusted: L1Cache | undefined;
  /**
   * False while L1 cannot be proven fresh (the bus heartbeat is overdue): bypassed at once, on
   * every lookup, without waiting for the heartbeat's own timer to notice.
   */
  proven: (now: number) => boolean = () => true;

  constructor(private readonly l1: L1Cache | undefined) {
    this.trusted = l1;
  }

  /** The entry if L1 is trusted and holds it (fresh or within grace). */
  lookup(full: string, now: number): SharedEntry | undefined {
    if (this.trusted === undefined || !this.proven(now)) return undefined;
    return this.trusted.lookup(full, now);
  }

  /** Where a fill or a read starts, for `store` to check against later. */
  mark(): number {
    return this.fence.current;
  }

  /** True if nothing `entry` depends on (nor its key) was invalidated here since `since`. */
  unchangedSince(since: number, full: string, deps: readonly string[]): boolean {
    if (this.fence.changedSince(since, [...deps, keyDep(full)])) return false;
    return !this.patterns.some((p) => p.at > since && p.regex.test(full));
  }

  /** Stores unless something it depends on was invalidated since `since`. */
  store(full: string, entry: SharedEntry, bytes: number, since?: number): void {
    if (this.trusted === undefined || !this.proven(Date.now())) return;
    if (since !== undefined && !this.unchangedSince(since, full, entry.deps)) return;
    this.trusted.set(full, entry, bytes);
  }

  /**
   * Records and applies an invalidation (keys changed, dependencies bumped, patterns removed);
   * returns how many L1 entries matched a pattern.
   */
  invalidate({ keys = [], deps = [], patterns = [] }: LocalInvalidation): number {
    const regexes = patterns.map(globToRegExp);
    // Keys a pattern matches here count as changed keys: their dependents go too.
    const matched = regexes.flatMap((regex) => this.l1?.keysMatching(regex) ?? []);
    const all = [...deps, ...[...keys, ...matched].map(keyDep)];
    this.fence.record(all);
    const at = this.fence.current;
    if (regexes.length > 0) this.patterns = [...this.patterns.slice(-99), ...regexes.map((regex) => ({ at, regex }))];
    for (const key of [...keys, ...matched]) this.l1?.delete(key);
    this.l1?.evictDependents(all);
    return matched.length;
  }

  /** Untrusted: emptied and bypassed until trusted again. */
  trust(trusted: boolean): void {
    // Messages may have been missed: nothing read or loaded before this point may enter L1.
    this.fence.invalidateAll();
    this.l1?.clear();
    this.trusted = trusted ? this.l1 : undefined;
  }
}
