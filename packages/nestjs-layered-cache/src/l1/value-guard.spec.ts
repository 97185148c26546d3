import { describe, expect, it } from 'vitest';
import { cloneValue, freezeIfPlain } from './value-guard.js';

describe('value guard', () => {
  it('deep-freezes plain data and says it can be shared', () => {
    const value = { a: [{ b: 1 }], c: 'x' };
    expect(freezeIfPlain(value)).toBe(true);
    expect(Object.isFrozen(value.a[0])).toBe(true);
  });

  it('refuses to freeze values with internal slots (Date, Map, Set, Buffer)', () => {
    for (const inner of [new Date(), new Map(), new Set(), Buffer.alloc(1)]) {
      const value = { inner };
      expect(freezeIfPlain(value)).toBe(false);
      expect(Object.isFrozen(value)).toBe(false);
    }
  });

  it('clones every type the serializer produces, keeping shared references shared', () => {
    const shared = { n: 1 };
    const value = {
      d: new Date(5),
      m: new Map([[1, shared]]),
      s: new Set([shared]),
      b: Buffer.from('x'),
      u: new Uint16Array([7]),
      big: 1n,
      again: shared,
    };
    const copy = cloneValue(value);
    expect(copy).toEqual(value);
    expect(copy.d).not.toBe(value.d);
    expect(copy.b).not.toBe(value.b);
    expect(copy.again).toBe(copy.m.get(1));
    expect(copy.again).not.toBe(shared);
  });

  it('copies an own "__proto__" key as a key, not as the prototype (found by the property test)', () => {
    const inner = JSON.parse('{"__proto__": 0, "a": {"__proto__": {"x": 1}}}') as Record<string, unknown>;
    const copy = cloneValue(new Map([['', [[inner]]]]));
    const copied = copy.get('')![0]![0] as Record<string, unknown>;
    expect(Object.keys(copied)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(copied).toEqual(inner);
    expect(Object.getPrototypeOf(copied.a)).toBe(Object.prototype);
  });
});
