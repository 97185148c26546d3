import { setFlagsFromString } from 'node:v8';
import { setTimeout as sleep } from 'node:timers/promises';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestingCache } from '../../src/testing/index.js';

// Memory, not time: heap growth after forced GC is deterministic enough to assert on.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** heapUsed + external (Buffers live off the heap) once the GC and its sweeper have settled. */
async function settledMemory(): Promise<number> {
  let last = Number.NaN;
  for (let i = 0; i < 20; i++) {
    gc();
    await sleep(20);
    const { heapUsed, external } = process.memoryUsage();
    if (Math.abs(heapUsed + external - last) < 64 * 1024) break;
    last = heapUsed + external;
  }
  return last;
}

/** A few fields, a double, a tag of its own: the kind of entry where overhead dominates. */
const user = (i: number) => ({ id: i, email: `user${i}@example.com`, name: `User ${i}`, score: i * 0.37 });
/** 20 products, half the pages with Dates (copied per read, not frozen), and a Buffer thumbnail. */
const page = (i: number) =>
  Array.from({ length: 20 }, (_, k) => ({
    id: i * 20 + k,
    name: `Product ${i * 20 + k} — oak, steel, premium`,
    price: 9.99 + k,
    stock: k,
    ...(i % 2 === 1 && { updatedAt: new Date(1_700_000_000_000 + k) }),
    ...(k === 0 && { thumbnail: Buffer.alloc(512, i % 251) }),
  }));

describe('L1 byte bound', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(() => close?.());

  it.each([
    { kind: 'small objects', entries: 20_000, value: user, tags: (i: number) => [`user:${i}`] },
    { kind: 'product pages', entries: 1_000, value: page, tags: (i: number) => [`page:${i}`, 'products'] },
  ])('accounts $kind within ±25 % of the memory they really take', async ({ entries, value, tags }) => {
    const testing = await createTestingCache({
      l1: { maxEntries: entries, maxBytes: 2 ** 32, maxEntryBytes: 2 ** 30 },
    });
    close = testing.close;
    const { cache } = testing;
    // The local fence (bounded, not L1) remembers the last 10 000 keys written: fill it first.
    for (let i = 0; i < 10_000; i++) await cache.delete(`fence~${i}`);
    const before = await settledMemory();
    for (let i = 0; i < entries; i++) await cache.set(`entry:${i}`, value(i), { tags: tags(i) });
    const real = (await settledMemory()) - before;
    const { l1 } = cache.stats();
    expect(l1!.entries).toBe(entries);
    expect(l1!.bytes / real).toBeGreaterThan(0.75);
    expect(l1!.bytes / real).toBeLessThan(1.25);
  });
});
