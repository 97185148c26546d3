import type { SharedEntry } from '../l1/l1-cache.js';
import type { CacheStats } from './cache-stats.js';
import type { L2RawEntry } from '../l2/l2-cache.js';
import type { EntryCodec } from './entry-codec.js';
import type { LocalTier } from './local-tier.js';
import type { RemoteTier } from './remote-tier.js';

/** Reads from L2, decoded, and refilled into L1 unless invalidated meanwhile. */
export class RemoteReads {
  constructor(
    private readonly l2: RemoteTier,
    private readonly local: LocalTier,
    private readonly codec: EntryCodec,
    private readonly stats: CacheStats,
  ) {}

  async one(full: string): Promise<SharedEntry | undefined> {
    const started = this.local.mark();
    // Redis measured the remaining lifetime no earlier than this: counting from the reply instead
    // would add the read's latency (up to the soft or hard timeout) to the entry's freshness.
    const now = Date.now();
    const raw = await this.l2.read([full]);
    return raw === undefined ? undefined : this.entry(full, raw[0], now, started);
  }

  /** One L2 round trip; fresh and stale entries are refilled into L1; undecodable ones are dropped. */
  async many(fulls: readonly string[]): Promise<(SharedEntry | undefined)[]> {
    const started = this.local.mark();
    const now = Date.now(); // see one()
    const raw = await this.l2.read(fulls);
    const out = new Array<SharedEntry | undefined>(fulls.length);
    for (let i = 0; i < fulls.length; i++)
      out[i] = raw === undefined ? undefined : this.entry(fulls[i]!, raw[i], now, started);
    return out;
  }

  private entry(full: string, item: L2RawEntry | undefined, now: number, started: number): SharedEntry | undefined {
    if (item === undefined || item.pttl <= 0) return undefined;
    let entry: SharedEntry;
    try {
      entry = this.codec.remote(item, now);
    } catch (error) {
      this.stats.corrupt++;
      this.l2.dropCorrupt(full, error);
      return undefined;
    }
    this.local.store(full, entry, item.payload.length, started);
    return entry;
  }
}
