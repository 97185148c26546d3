import type { SharedEntry } from '../l1/l1-cache.js';
import { valueOf } from '../l1/value-guard.js';
import type { LocalTier } from './local-tier.js';
import type { NamespacePath } from './namespace-path.js';
import type { RemoteReads } from './remote-reads.js';
import type { Telemetry } from './telemetry.js';

/** `mget`: L1 first, then every key L1 did not answer in one L2 round trip. */
export class BatchReads {
  constructor(
    private readonly local: LocalTier,
    private readonly reads: RemoteReads | undefined,
    private readonly telemetry: Telemetry,
  ) {}

  /** Each value as `as(value, freshUntil)` makes it, or undefined for a miss. */
  async read<T, R>(
    ns: NamespacePath,
    keys: readonly string[],
    as: (value: T, freshUntil: number) => R,
  ): Promise<(R | undefined)[]> {
    const now = Date.now();
    const fulls = keys.map((key) => ns.keyOf(key));
    // Filled, not sparse: a miss is an element (`for…in`, as Keyv iterates, skips holes).
    const out = new Array<R | undefined>(keys.length).fill(undefined);
    const remoteAt: number[] = [];
    fulls.forEach((full, i) => {
      const local = this.local.lookup(full, now);
      if (local !== undefined && now < local.freshUntil)
        out[i] = as(this.hit<T>('l1', keys[i]!, local), local.freshUntil);
      else remoteAt.push(i);
    });
    const remote = this.reads && remoteAt.length > 0 ? await this.reads.many(remoteAt.map((i) => fulls[i]!)) : [];
    remoteAt.forEach((i, j) => {
      const entry = remote[j];
      if (entry !== undefined && now < entry.freshUntil)
        out[i] = as(this.hit<T>('l2', keys[i]!, entry), entry.freshUntil);
      else this.telemetry.miss(keys[i]!);
    });
    return out;
  }

  private hit<T>(layer: 'l1' | 'l2', key: string, entry: SharedEntry): T {
    this.telemetry.hit(layer, key, false);
    return valueOf<T>(entry);
  }
}
