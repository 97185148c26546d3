import type { SharedEntry } from '../l1/l1-cache.js';
import type { CacheStats } from './cache-stats.js';
import type { RemoteTier } from './remote-tier.js';

export interface FillLockOptions {
  /** How long a lock lives if its holder never releases it (crash), ms. Expiry: another load, no more. */
  ttl: number;
  /**
   * How long an instance waits for another's fill before loading itself, ms. When it runs out the
   * load runs anyway: one more loader call; its store is compare-and-set like any other.
   */
  maxWait: number;
}

export type LockOutcome =
  /** We hold the lock: load, store, then release with this token. */
  | { token: string }
  /** Another instance stored a fresh entry while we waited (or just before we locked). */
  | { entry: SharedEntry }
  /** No lock (Redis failed or the wait ran out): load anyway. Efficiency is lost, never correctness. */
  | Record<string, never>;

/**
 * Cross-instance stampede protection: one instance loads a missing key while the others poll L2
 * for the entry it will store, with backoff, for at most `maxWait` ms.
 */
export class FillLock {
  constructor(
    private readonly remote: RemoteTier,
    private readonly options: FillLockOptions,
    /** A fresh L2 entry of the key, if there is one now. */
    private readonly readFresh: (full: string) => Promise<SharedEntry | undefined>,
    private readonly stats: CacheStats,
  ) {}

  async acquire(full: string): Promise<LockOutcome> {
    const deadline = Date.now() + this.options.maxWait;
    let delay = 5;
    for (let attempt = 0; ; attempt++) {
      const token = await this.remote.tryLock(full, this.options.ttl);
      if (token === undefined) return {};
      if (token !== null) {
        // The previous holder may have stored the entry and released its lock between our last
        // read and our lock: on the first attempt, and as much after any wait (a slow process
        // widens that window; without this read, both instances ran the loader).
        const entry = await this.readFresh(full);
        if (entry === undefined) return { token };
        this.release(full, token);
        return { entry };
      }
      if (attempt === 0) this.stats.lockWaits++;
      if (Date.now() >= deadline) {
        this.stats.lockTimeouts++;
        return {};
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 50);
      const entry = await this.readFresh(full);
      if (entry !== undefined) return { entry };
    }
  }

  /** In the background: nobody waits for an unlock; a failure is counted like any Redis error. */
  release(full: string, token: string): void {
    this.remote.background('lock', () => this.remote.unlock(full, token));
  }
}
