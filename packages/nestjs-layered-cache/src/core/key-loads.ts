import type { SharedEntry } from '../l1/l1-cache.js';
import type { Loader } from './cache-entry.js';
import type { CacheFills, FillResult } from './cache-fills.js';
import type { Fill } from './fill.js';
import type { LocalTier } from './local-tier.js';
import { SingleFlight } from './single-flight.js';

/** Whether a read or load that started at fence position `mark` may answer a caller. */
export type CanJoin = (mark: number) => boolean;

/**
 * In-process single-flight of a key's L2 read and load: one loader call per key at a time
 * whatever the scheduling (slow Redis, soft timeouts, a busy event loop), and never a joined load
 * that started before an invalidation the caller has already seen.
 */
export class KeyLoads {
  private readonly loads = new SingleFlight<FillResult>();
  /** Concurrent misses of a key share one L2 read, so they reach the load in the same tick. */
  private readonly reads = new SingleFlight<SharedEntry | undefined>();
  /** Keys whose running load refreshes an expired entry (grace or fail-safe). */
  private readonly refreshing = new Map<string, Promise<unknown>>();

  constructor(
    private readonly local: LocalTier,
    private readonly fills: CacheFills,
  ) {}

  /**
   * The load of `full` running now that this caller may join without reading L2 first (reading
   * could outlast it and start a second one). Not a refresh behind an expired entry: the caller
   * may be owed that entry, and only a read tells whether it is still valid.
   */
  running(full: string, canJoin: CanJoin): Promise<FillResult> | undefined {
    return this.refreshing.has(full) ? undefined : this.loads.joinable(full, canJoin);
  }

  read(full: string, read: () => Promise<SharedEntry | undefined>, canJoin: CanJoin): Promise<SharedEntry | undefined> {
    return this.reads.run(full, read, this.local.mark(), canJoin);
  }

  run(full: string, start: () => Promise<FillResult>, canJoin: CanJoin): Promise<FillResult> {
    return this.loads.run(full, start, this.local.mark(), canJoin);
  }

  /** `load` runs behind an expired entry until it settles. */
  markRefreshing(full: string, load: Promise<unknown>): void {
    this.refreshing.set(full, load);
    const done = () => void (this.refreshing.get(full) === load && this.refreshing.delete(full));
    load.then(done, done);
  }

  /**
   * For a caller that joined a load whose result was refused (something it depends on moved while
   * it ran, or it read inside an open transaction): that value may predate what the caller must
   * see. The callers in this position share one new load (it starts after they all arrived);
   * refused again, each runs its own, the only value it may be handed for sure.
   */
  async reload(full: string, fill: Fill, loader: Loader<unknown>, canJoin: CanJoin): Promise<SharedEntry> {
    let ours = false;
    const start = () => {
      ours = true;
      return this.fills.locked(fill, loader);
    };
    const again = await this.run(full, start, canJoin);
    if (ours || again.stored) return again.entry;
    return (
      await this.run(
        full,
        () => this.fills.locked(fill, loader),
        () => false,
      )
    ).entry;
  }
}
