import type { SharedEntry } from '../l1/l1-cache.js';
import { CacheLoaderTimeoutError } from '../errors/cache-loader-timeout.error.js';
import { totalLifetime } from '../l2/l2-entry-format.js';
import type { Loader } from './cache-entry.js';
import type { EntryCodec } from './entry-codec.js';
import type { FillLock } from './fill-lock.js';
import { toWrite, type Fill } from './fill.js';
import type { LocalTier } from './local-tier.js';
import type { PendingTagFence } from './pending-tag-fence.js';
import type { RemoteTier } from './remote-tier.js';
import type { Telemetry } from './telemetry.js';

/** A load's outcome; `stored` false means it was refused and only its initiator may use it. */
export interface FillResult {
  entry: SharedEntry;
  stored: boolean;
}

/**
 * Running a loader and storing its result: under the cross-instance lock, with the compare-and-set
 * against what the entry depends on (in Redis when it answers, else the local fence), and never
 * while a transaction holding one of its tags is open in this process.
 */
export class CacheFills {
  constructor(
    private readonly codec: EntryCodec,
    private readonly local: LocalTier,
    private readonly l2: RemoteTier | undefined,
    private readonly telemetry: Telemetry,
    private readonly pendingTags: PendingTagFence,
    private readonly lock: FillLock | undefined,
    private readonly maxValueBytes: number,
  ) {}

  /** Keys whose cross-instance lock a load of this process holds, and how many such loads. */
  private readonly holding = new Map<string, number>();

  /** Loads under the cross-instance lock (when there is one) and stores the result. */
  async locked(fill: Fill, loader: Loader<unknown>): Promise<FillResult> {
    // A second load of a key here (its callers could not join the first) would only wait for our
    // own lock, then load anyway: it loads at once.
    if (this.holding.has(fill.full)) return this.loadAndStore(fill, loader);
    const outcome = this.lock ? await this.lock.acquire(fill.full) : {};
    if ('entry' in outcome) return { entry: outcome.entry, stored: true };
    if ('token' in outcome) this.holding.set(fill.full, (this.holding.get(fill.full) ?? 0) + 1);
    try {
      return await this.loadAndStore(fill, loader);
    } finally {
      if ('token' in outcome) {
        const left = this.holding.get(fill.full)! - 1;
        if (left > 0) this.holding.set(fill.full, left);
        else this.holding.delete(fill.full);
        this.lock!.release(fill.full, outcome.token);
      }
    }
  }

  /** `stored` is false when the result was refused: it is good for its own caller only. */
  async loadAndStore(fill: Fill, loader: Loader<unknown>): Promise<FillResult> {
    const started = this.local.mark();
    const token = await this.l2?.beginFill(fill.full, fill.deps, totalLifetime(fill));
    const loadStart = this.telemetry.timing ? performance.now() : undefined;
    const value = await withTimeout(fill, loader);
    if (loadStart !== undefined) this.telemetry.operation('loader', 'load', (performance.now() - loadStart) / 1000);
    const payload = this.codec.encode(fill.full, value);
    const entry = this.codec.local(fill.full, payload, fill.deps, Date.now(), fill);
    if (payload.length > this.maxValueBytes) {
      this.telemetry.oversized(fill.key, payload.length, this.maxValueBytes);
      return { entry, stored: false };
    }
    if (this.pendingTags.blocks(fill.deps)) {
      this.telemetry.fillRefused(fill.key);
      return { entry, stored: false };
    }
    const committed = token && (await this.l2!.commitFill(token, toWrite(fill, payload)));
    const unchangedHere = this.local.unchangedSince(started, fill.full, fill.deps);
    // L2's compare-and-set decides when Redis answered; otherwise (no Redis, or it failed) the local fence.
    if (!(committed ?? unchangedHere)) {
      this.telemetry.fillRefused(fill.key);
      return { entry, stored: false };
    }
    if (unchangedHere) this.local.store(fill.full, entry, payload.length);
    this.telemetry.set(this.l2 ? 'l2' : 'l1', fill.key, payload.length);
    return { entry, stored: true };
  }
}

/**
 * Runs the loader, cut off after `fill.timeout` ms: its signal aborts and the caller gets an error.
 * Nothing is stored, so correctness is untouched; every caller of that flight gets the error.
 */
async function withTimeout(fill: Fill, loader: Loader<unknown>): Promise<unknown> {
  const controller = new AbortController();
  if (fill.timeout === 0) return loader(controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new CacheLoaderTimeoutError(`The loader of "${fill.key}" ran longer than ${fill.timeout} ms.`);
      controller.abort(error);
      reject(error);
    }, fill.timeout);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => loader(controller.signal)), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
