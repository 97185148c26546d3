import { describe, expect, it } from 'vitest';
import type { SharedEntry } from '../l1/l1-cache.js';
import { CacheStats } from './cache-stats.js';
import { FillLock } from './fill-lock.js';
import type { RemoteTier } from './remote-tier.js';

const entry: SharedEntry = {
  value: 'stored by the holder',
  shared: true,
  deps: [],
  storedAt: 0,
  freshUntil: Infinity,
  staleUntil: Infinity,
  keepUntil: Infinity,
};

/**
 * The lock's control flow against a stand-in for Redis's lock commands, so the interleaving of
 * another instance's store and unlock with our reads can be forced exactly.
 */
function lockWorld() {
  const held = new Map<string, string>();
  let stored: SharedEntry | undefined;
  const remote = {
    tryLock: async (full: string) => {
      if (held.has(full)) return null;
      held.set(full, 'ours');
      return 'ours';
    },
    unlock: async (full: string, token: string) => held.get(full) === token && held.delete(full),
    background: (_what: string, run: () => Promise<unknown>) => run().catch(() => undefined),
  } as unknown as RemoteTier;
  return { held, remote, store: (value: SharedEntry) => (stored = value), current: () => stored };
}

describe('FillLock', () => {
  it('after waiting, reads the entry again once it gets the lock: the holder may have stored and unlocked just before', async () => {
    const world = lockWorld();
    world.held.set('k', 'holder');
    let reads = 0;
    const readFresh = async () => {
      reads++;
      const seen = world.current();
      if (reads === 1) {
        // Our poll found nothing; right after it, the holder stores its entry and unlocks.
        world.store(entry);
        world.held.delete('k');
      }
      return seen;
    };
    const stats = new CacheStats();
    const lock = new FillLock(world.remote, { ttl: 10_000, maxWait: 5_000 }, readFresh, stats);
    const outcome = await lock.acquire('k');
    // Loading here would run the loader a second time across the instances.
    expect(outcome).toEqual({ entry });
    expect(stats.lockWaits).toBe(1);
    expect(world.held.has('k')).toBe(false); // the lock it took only to find the entry is handed back
  });

  it('holds the lock when, after waiting, there is still no entry', async () => {
    const world = lockWorld();
    world.held.set('k', 'holder');
    let reads = 0;
    const readFresh = async () => {
      if (++reads === 1) world.held.delete('k'); // the holder gave up (its loader failed)
      return undefined;
    };
    const lock = new FillLock(world.remote, { ttl: 10_000, maxWait: 5_000 }, readFresh, new CacheStats());
    expect(await lock.acquire('k')).toEqual({ token: 'ours' });
    expect(world.held.get('k')).toBe('ours');
  });
});
