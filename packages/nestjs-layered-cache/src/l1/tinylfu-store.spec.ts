import { describe, expect, it } from 'vitest';
import { hashKey } from './frequency-sketch.js';
import { TinyLfuStore } from './tinylfu-store.js';

const SEED = 11;
const record = { size: 1 };

/** 100 entries: an admission window of 1, so each new key pushes the previous one into a contest. */
function newStore(): TinyLfuStore<{ size: number }> {
  return new TinyLfuStore({ maxEntries: 100, maxBytes: 1_000_000, onRemove: () => {}, seed: SEED });
}

/** Counts `times` sightings of `key` in the store's sketch, as a collision or old traffic would. */
function inflate(store: TinyLfuStore<{ size: number }>, key: string, times: number): void {
  const sketch = (store as unknown as { sketch: { increment(hash: number): void } }).sketch;
  for (let i = 0; i < times; i++) sketch.increment(hashKey(key, SEED));
}

/** `count` newcomers, each stored twice (seen twice) before the next one pushes it out of the window. */
function newcomers(store: TinyLfuStore<{ size: number }>, count: number): number {
  for (let i = 0; i <= count; i++) {
    store.set(`new:${i}`, record);
    store.set(`new:${i}`, record);
  }
  return Array.from({ length: count }, (_, i) => store.peek(`new:${i}`)).filter(Boolean).length;
}

/** A store whose oldest probation entry, `squatter`, the sketch has seen 15 times. */
function storeWithSquatter(): TinyLfuStore<{ size: number }> {
  const store = newStore();
  inflate(store, 'squatter', 15);
  store.set('squatter', record);
  for (let i = 0; i < 99; i++) store.set(`filler:${i}`, record);
  expect(store.size).toBe(100);
  return store;
}

describe('TinyLfuStore admission', () => {
  it('one over-counted victim does not turn every newcomer away: a victim that wins goes to the back', () => {
    const store = storeWithSquatter();
    // Without the second chance the squatter stays the victim of every contest and wins them all.
    expect(newcomers(store, 30)).toBeGreaterThanOrEqual(25);
    expect(store.peek('squatter')).toBeDefined();
    expect(store.size).toBe(100);
  });

  it('a victim idle for longer than its count explains counts as unseen and loses to a newcomer', () => {
    const store = storeWithSquatter();
    // Seen 15 times per sample period (1,000 lookups) yet not for 1,000 lookups: its count is history.
    for (let i = 0; i < 1_000; i++) store.get(`absent:${i}`);
    newcomers(store, 5);
    expect(store.peek('squatter')).toBeUndefined();
  });

  it('a victim seen recently keeps the count it has earned', () => {
    const store = newStore();
    for (let i = 0; i < 1_000; i++) store.get(`absent:${i}`);
    // Stored (seen) after those lookups: not idle, so its 15 sightings still count.
    inflate(store, 'squatter', 15);
    store.set('squatter', record);
    for (let i = 0; i < 99; i++) store.set(`filler:${i}`, record);
    newcomers(store, 5);
    expect(store.peek('squatter')).toBeDefined();
  });

  it('ties between rarely seen keys go to the newcomer, ties between popular keys to the incumbent', () => {
    const rare = newStore();
    for (let i = 0; i < 100; i++) rare.set(`old:${i}`, record);
    for (let i = 0; i <= 20; i++) rare.set(`once:${i}`, record);
    const keptRare = Array.from({ length: 20 }, (_, i) => rare.peek(`once:${i}`)).filter(Boolean).length;
    expect(keptRare).toBeGreaterThanOrEqual(15);

    const popular = newStore();
    for (let i = 0; i < 100; i++) for (let n = 0; n < 4; n++) popular.set(`old:${i}`, record);
    for (let i = 0; i <= 20; i++) for (let n = 0; n < 4; n++) popular.set(`also:${i}`, record);
    const keptPopular = Array.from({ length: 20 }, (_, i) => popular.peek(`also:${i}`)).filter(Boolean).length;
    expect(keptPopular).toBeLessThanOrEqual(5);
  });

  it("a resident key's count is its own and outlives its eviction: asked for again, it starts from it", () => {
    const store = newStore();
    store.set('hot', record);
    for (let i = 0; i < 9; i++) store.get('hot');
    expect(store.frequency('hot')).toBe(10);
    store.delete('hot');
    // Handed back to the sketch when it left; hits are not counted there while it is resident.
    expect(store.frequency('hot')).toBeGreaterThanOrEqual(10);
    store.set('hot', record);
    expect(store.frequency('hot')).toBeGreaterThanOrEqual(11);
  });

  it('ages resident counts with the sketch: each aging halves them', () => {
    const store = newStore();
    store.set('warm', record);
    for (let i = 0; i < 11; i++) store.get('warm');
    expect(store.frequency('warm')).toBe(12);
    const sketch = (store as unknown as { sketch: { reset(): void } }).sketch;
    sketch.reset();
    expect(store.frequency('warm')).toBe(6);
    sketch.reset();
    sketch.reset();
    expect(store.frequency('warm')).toBe(1);
  });

  it('protected entries hit since they got there outlast those that were not when protected overflows', () => {
    // 100 entries: window 1, protected at most 79 of the 99 main ones.
    const store = newStore();
    for (let i = 0; i < 100; i++) store.set(`k:${i}`, record);
    // Hit once on probation: all promoted to protected, oldest first; 79 fit, the rest go back.
    for (let i = 0; i < 99; i++) store.get(`k:${i}`);
    const isProtected = (key: string) =>
      (store as unknown as { nodes: Map<string, { segment: number }> }).nodes.get(key)?.segment === 2;
    const protectedNow = Array.from({ length: 99 }, (_, i) => `k:${i}`).filter(isProtected);
    expect(protectedNow).toHaveLength(79);
    // The oldest protected entries are hit again; then probation entries are promoted over them.
    const hitAgain = protectedNow.slice(0, 10);
    for (const key of hitAgain) store.get(key);
    const probation = Array.from({ length: 99 }, (_, i) => `k:${i}`).filter((key) => !isProtected(key));
    for (const key of probation.slice(0, 10)) store.get(key);
    for (const key of hitAgain) expect(isProtected(key), key).toBe(true);
    // The 10 demoted to make room are the oldest protected entries that were not hit again.
    for (const key of protectedNow.slice(10, 20)) expect(isProtected(key), key).toBe(false);
  });
});
