import { describe, expect, it } from 'vitest';
import { L1Cache, type L1Policy, type SharedEntry } from './l1-cache.js';

/** An entry; L1 charges it the memory its value takes, so `value` sets its size. */
const entry = (deps: readonly string[] = [], keepUntil = Infinity, value: unknown = 1): SharedEntry => ({
  value,
  freshUntil: keepUntil,
  staleUntil: keepUntil,
  keepUntil,
  storedAt: 0,
  deps,
  shared: true,
});

/** mulberry32: the same pseudo-random sequence on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Read-through as the stack does it: a miss stores the key. */
function request(l1: L1Cache, key: string): boolean {
  if (l1.lookup(key, 0) !== undefined) return true;
  l1.set(key, entry(), 50);
  return false;
}

const byDep = (l1: L1Cache) => (l1 as unknown as { byDep: Map<string, Set<string>> }).byDep;
const keysOf = (l1: L1Cache) => new Set(l1.keysMatching(() => true));

describe('L1 policy', () => {
  // The sketch is sized for L1 (16 counters per entry), so a scan of 10× L1 blurs it a little: a
  // scan key may now and then be overestimated and win one contest.
  it.each([
    ['tinylfu', 18, 20],
    ['lru', 0, 0],
  ] as [L1Policy, number, number][])(
    '%s: a popular set survives a scan 10× L1 → %d–%d of 20 kept',
    (policy, min, max) => {
      const l1 = new L1Cache({ maxEntries: 100, maxBytes: 1_000_000, maxEntryBytes: 10_000, policy, seed: 1 });
      const hot = Array.from({ length: 20 }, (_, i) => `hot:${i}`);
      for (let round = 0; round < 8; round++) for (const key of hot) request(l1, key);
      for (let i = 0; i < 1_000; i++) request(l1, `scan:${i}`);
      const kept = hot.filter((key) => l1.lookup(key, 0) !== undefined).length;
      expect(kept).toBeGreaterThanOrEqual(min);
      expect(kept).toBeLessThanOrEqual(max);
      expect(l1.entries).toBeLessThanOrEqual(100);
    },
  );

  it.each(['tinylfu', 'lru'] as L1Policy[])(
    '%s: holds both bounds with mixed sizes, counts every eviction, keeps the dependency index exact',
    (policy) => {
      const maxEntries = 60;
      const maxBytes = 60_000;
      const l1 = new L1Cache({ maxEntries, maxBytes, maxEntryBytes: 8_000, policy, seed: 3 });
      const random = seeded(42);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
      const allDeps = Array.from({ length: 12 }, (_, i) => `t:${i}`);
      /** The reference model: each key L1 holds and its deps. */
      let model = new Map<string, readonly string[]>();
      let evicted = 0;
      let fullByEntries = 0;
      let fullByBytes = 0;
      /** Every disagreement with the model, collected (an expect per check would take minutes). */
      const wrong: string[] = [];
      for (let step = 0; step < 4_000; step++) {
        const key = `k:${Math.floor(random() ** 2 * 300)}`;
        const op = random();
        let removedOnPurpose = new Set<string>();
        if (op < 0.55) {
          if (l1.lookup(key, 0) === undefined && model.has(key)) wrong.push(`${step}: ${key} lost`);
        } else if (op < 0.9) {
          const deps = [...new Set([pick(allDeps), pick(allDeps)])];
          // Mostly small values (the entry bound binds), sometimes large ones (the byte bound binds).
          const bytes = random() < 0.8 ? Math.floor(random() * 200) : 1_000 + Math.floor(random() * 6_000);
          l1.set(key, entry(deps, Infinity, 'x'.repeat(bytes)), bytes);
          removedOnPurpose.add(key);
          // TinyLFU may turn the newcomer away at once: that is an eviction too.
          if (l1.lookup(key, 0) !== undefined) model.set(key, deps);
          else evicted++;
        } else if (op < 0.97) {
          l1.delete(key);
          removedOnPurpose.add(key);
        } else {
          const dep = pick(allDeps);
          const expected = [...model].filter(([, deps]) => deps.includes(dep)).map(([k]) => k);
          const count = l1.evictDependents([dep]);
          if (count !== expected.length) wrong.push(`${step}: evictDependents(${dep}) ${count} ≠ ${expected.length}`);
          removedOnPurpose = new Set(expected);
        }
        const held = keysOf(l1);
        // Whatever left L1 without being deleted, replaced or invalidated was evicted by a bound.
        for (const k of model.keys()) if (!held.has(k) && !removedOnPurpose.has(k)) evicted++;
        model = new Map([...model].filter(([k]) => held.has(k)));
        if (l1.entries !== model.size) wrong.push(`${step}: ${l1.entries} entries, model ${model.size}`);
        if (l1.entries > maxEntries || l1.bytes > maxBytes) wrong.push(`${step}: ${l1.entries} entries, ${l1.bytes} B`);
        if (l1.entries === maxEntries) fullByEntries++;
        if (l1.bytes > maxBytes * 0.85) fullByBytes++;
        // The index holds exactly the held keys under exactly their deps.
        const index = byDep(l1);
        for (const [dep, keys] of index) {
          if (keys.size === 0) wrong.push(`${step}: empty set left for ${dep}`);
          for (const k of keys) if (!model.get(k)?.includes(dep)) wrong.push(`${step}: stale ${dep} → ${k}`);
        }
        for (const [k, deps] of model)
          for (const dep of deps) if (!index.get(dep)?.has(k)) wrong.push(`${step}: missing ${dep} → ${k}`);
      }
      expect(wrong.slice(0, 10)).toEqual([]);
      // Both bounds were really reached, and evictions were counted one for one.
      expect(fullByEntries).toBeGreaterThan(10);
      expect(fullByBytes).toBeGreaterThan(10);
      expect(evicted).toBeGreaterThan(200);
      expect(l1.evictions).toBe(evicted);
    },
  );

  it('tinylfu: expiry, delete, evictDependents, keysMatching and clear behave as with lru', () => {
    const l1 = new L1Cache({ maxEntries: 10, maxBytes: 100_000, maxEntryBytes: 10_000, policy: 'tinylfu', seed: 5 });
    l1.set('a', entry(['t:x'], 1_000), 10);
    l1.set('b', entry(['t:x', 't:y']), 10);
    l1.set('c', entry(['t:y']), 10);
    expect(l1.keysMatching((k) => k !== 'c').sort()).toEqual(['a', 'b']);
    expect(l1.lookup('a', 999)).toBeDefined();
    expect(l1.lookup('a', 1_000)).toBeUndefined();
    expect(byDep(l1).get('t:x')).toEqual(new Set(['b']));
    expect(l1.evictDependents(['t:y'])).toBe(2);
    expect(l1.entries).toBe(0);
    expect(byDep(l1).size).toBe(0);
    l1.set('d', entry(['t:z']), 10);
    l1.delete('d');
    expect(byDep(l1).size).toBe(0);
    l1.set('e', entry(['t:z']), 10);
    l1.clear();
    expect([l1.entries, l1.bytes, byDep(l1).size, l1.evictions]).toEqual([0, 0, 0, 0]);
  });

  it('a value larger than maxBytes (but within maxEntryBytes) is not kept, nor indexed', () => {
    for (const policy of ['tinylfu', 'lru'] as L1Policy[]) {
      const l1 = new L1Cache({ maxEntries: 10, maxBytes: 1_000, maxEntryBytes: 10_000, policy });
      l1.set('big', entry(['t:big'], Infinity, 'x'.repeat(5_000)), 5_000);
      expect(l1.lookup('big', 0)).toBeUndefined();
      expect(byDep(l1).size).toBe(0);
    }
  });
});
