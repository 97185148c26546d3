import { describe, expect, it } from 'vitest';
import {
  entryOverhead,
  FOOTPRINT_WALK_LIMIT,
  SERIALIZED_FACTOR,
  stringFootprint,
  valueFootprint,
} from './value-footprint.js';

describe('value footprint', () => {
  it('counts primitives as V8 stores them: Smis in their slot, doubles boxed', () => {
    expect(valueFootprint(null, 3)).toBe(0);
    expect(valueFootprint(42, 4)).toBe(0);
    expect(valueFootprint(0.5, 11)).toBe(16);
    expect(valueFootprint(2 ** 40, 11)).toBe(16);
  });

  it('counts strings two bytes per character once one is outside Latin-1', () => {
    expect(stringFootprint('x'.repeat(100))).toBe(16 + 104);
    expect(stringFootprint('é'.repeat(100))).toBe(16 + 104);
    expect(stringFootprint('€'.repeat(100))).toBe(16 + 200);
  });

  it('charges objects their in-object slots, then property arrays grown three slots at a time', () => {
    const four = valueFootprint({ a: 1, b: 2, c: 3, d: 4 }, 0);
    const five = valueFootprint({ a: 1, b: 2, c: 3, d: 4, e: 5 }, 0);
    expect(four).toBe(56);
    expect(five).toBe(56 + 16 + 24);
    expect(valueFootprint([1, 2, 3], 0)).toBe(48 + 24);
  });

  it('counts a shared object once, and each Buffer by the memory it keeps alive', () => {
    const shared = { name: 'shared value, long enough not to be a constant' };
    expect(valueFootprint([shared, shared], 0)).toBe(48 + 16 + valueFootprint(shared, 0));
    const slab = Buffer.alloc(8192);
    const small = slab.subarray(0, 100);
    expect(valueFootprint(small, 0)).toBeGreaterThan(8192);
    expect(valueFootprint([small, slab.subarray(100, 200)], 0)).toBeLessThan(8192 + 500);
  });

  it('prices Date, Map and Set by their hash tables and slots', () => {
    expect(valueFootprint(new Date(0), 0)).toBe(96);
    const small = valueFootprint(new Map([[1, 1]]), 0);
    const big = valueFootprint(new Map(Array.from({ length: 100 }, (_, i) => [i, i])), 0);
    expect(big).toBeGreaterThan(small + 100 * 24);
    expect(valueFootprint(new Set(['ab', 'cd']), 0)).toBeGreaterThan(2 * 24);
  });

  it('stops a huge walk and falls back on the serialized size', () => {
    const huge = Array.from({ length: FOOTPRINT_WALK_LIMIT * 2 }, (_, i) => i);
    expect(valueFootprint(huge, 1_000_000)).toBe(1_000_000 * SERIALIZED_FACTOR);
  });

  it('stops once past the limit: the caller only needs to know it is too big', () => {
    const value = Array.from({ length: 1000 }, () => ({ a: 'x'.repeat(100) }));
    expect(valueFootprint(value, 0, 10_000)).toBeGreaterThan(10_000);
    expect(valueFootprint(value, 0, 10_000)).toBeLessThan(valueFootprint(value, 0));
  });

  it('charges an entry its key, deps and a new dependency Set only once', () => {
    const alone = entryOverhead('key', [], () => false);
    const fresh = entryOverhead('key', ['t:tag'], () => false);
    const indexed = entryOverhead('key', ['t:tag'], () => true);
    expect(fresh).toBeGreaterThan(indexed + 100);
    expect(indexed).toBeGreaterThan(alone);
  });
});
