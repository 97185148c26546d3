import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { cloneValue, freezeIfPlain } from './value-guard.js';

describe('value guard', () => {
  it('deep-freezes plain data and says it can be shared', () => {
    const value = { a: [{ b: 1 }], c: 'x' };
    expect(freezeIfPlain(value)).toBe(true);
    expect(Object.isFrozen(value.a[0])).toBe(true);
  });

  it('says values with internal slots (Date, Map, Set, Buffer) cannot be shared, wherever they sit', () => {
    for (const inner of [new Date(), new Map(), new Set(), Buffer.alloc(1)]) {
      expect(freezeIfPlain({ inner }), String(inner)).toBe(false);
      expect(freezeIfPlain([1, { a: { b: [inner] } }]), String(inner)).toBe(false);
      expect(Object.isFrozen(inner)).toBe(false);
      // What is handed out instead, a copy, is not frozen.
      expect(Object.isFrozen(cloneValue({ inner }))).toBe(false);
    }
  });

  it('freezes shared references and cycles once, and finds a Date behind a reference seen before', () => {
    const shared: Record<string, unknown> = { n: 1 };
    const cyclic: Record<string, unknown> = { a: shared, b: shared };
    cyclic.self = cyclic;
    expect(freezeIfPlain(cyclic)).toBe(true);
    expect(Object.isFrozen(shared) && Object.isFrozen(cyclic)).toBe(true);

    const late: Record<string, unknown> = { list: [] };
    const node: Record<string, unknown> = { back: late };
    late.first = node;
    late.second = { node, when: new Date(0) };
    expect(freezeIfPlain(late)).toBe(false);

    // v8's format keeps an array's named properties: a Date there is found too.
    const list = deserialize(serialize(Object.assign([1, 2], { extra: { when: new Date(0) } }))) as unknown;
    expect(freezeIfPlain({ list })).toBe(false);
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
