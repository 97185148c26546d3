import { describe, expect, it } from 'vitest';
import { FrequencySketch, hashKey } from './frequency-sketch.js';

const SEED = 7;
const h = (key: string) => hashKey(key, SEED);

describe('FrequencySketch', () => {
  it('never underestimates a count within a period, and saturates at 15', () => {
    const sketch = new FrequencySketch(1_000);
    for (let i = 0; i < 200; i++) for (let n = 0; n <= i % 15; n++) sketch.increment(h(`k${i}`));
    for (let i = 0; i < 200; i++) expect(sketch.frequency(h(`k${i}`))).toBeGreaterThanOrEqual((i % 15) + 1);
    for (let n = 0; n < 40; n++) sketch.increment(h('hot'));
    expect(sketch.frequency(h('hot'))).toBe(15);
    expect(sketch.frequency(h('never-seen'))).toBeLessThanOrEqual(1);
  });

  it('halves every counter when aged, so old popularity fades', () => {
    const sketch = new FrequencySketch(1_000);
    for (let n = 0; n < 15; n++) sketch.increment(h('once-hot'));
    for (let n = 0; n < 6; n++) sketch.increment(h('warm'));
    sketch.reset();
    expect(sketch.frequency(h('once-hot'))).toBe(7);
    expect(sketch.frequency(h('warm'))).toBe(3);
    sketch.reset();
    expect(sketch.frequency(h('once-hot'))).toBe(3);
  });

  it('ages by itself after sampleSize counted increments', () => {
    const sketch = new FrequencySketch(100);
    for (let n = 0; n < 15; n++) sketch.increment(h('old'));
    expect(sketch.resets).toBe(0);
    // Fresh keys, each seen once: every increment counts toward the sample.
    let i = 0;
    while (sketch.resets === 0 && i < 10 * sketch.sampleSize) sketch.increment(h(`new${i++}`));
    expect(sketch.resets).toBe(1);
    expect(i).toBeLessThanOrEqual(sketch.sampleSize);
    expect(sketch.frequency(h('old'))).toBe(7);
  });

  it('salts hashes, so the same key lands elsewhere under another seed', () => {
    expect(hashKey('product:42', 1)).not.toBe(hashKey('product:42', 2));
    expect(hashKey('product:42', 1)).toBe(hashKey('product:42', 1));
  });
});
