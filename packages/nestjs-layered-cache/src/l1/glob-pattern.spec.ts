import { describe, expect, it } from 'vitest';
import { checkGlob, escapeGlob, globLiteralPrefix, globMatcher } from './glob-pattern.js';

const matches = (pattern: string, key: string) => globMatcher(pattern)(key);

describe('glob patterns (Redis SCAN MATCH semantics)', () => {
  it('matches *, ?, classes, negated classes, ranges and escapes as Redis does', () => {
    expect(matches('product:*', 'product:7')).toBe(true);
    expect(matches('product:*', 'products:7')).toBe(false);
    expect(matches('p?t', 'pot')).toBe(true);
    expect(matches('p?t', 'pt')).toBe(false);
    expect(matches('[ab]x', 'bx')).toBe(true);
    expect(matches('[^ab]x', 'bx')).toBe(false);
    expect(matches('[^ab]x', 'cx')).toBe(true);
    expect(matches('[a-c]', 'b')).toBe(true);
    expect(matches('\\*', '*')).toBe(true);
    expect(matches('\\*', 'a')).toBe(false);
    expect(matches('[\\]]', ']')).toBe(true);
    expect(matches('a**b', 'ab')).toBe(true);
    expect(matches('*', '')).toBe(true);
    // Redis's leniencies: a reversed range is swapped, an unclosed class runs to the end.
    expect(matches('[z-a]', 'm')).toBe(true);
    expect(matches('[ab', 'b')).toBe(true);
    // Redis compares bytes: "é" is two of them.
    expect(matches('??', 'é')).toBe(true);
    expect(matches('?', 'é')).toBe(false);
    // ...and compares class ranges as signed chars: bytes >= 0x80 sort below ASCII.
    expect(matches('[é-a]', 'a')).toBe(true);
    expect(matches('[é-a]', 'b')).toBe(false);
  });

  it('answers pathological patterns without backtracking (a regex took 63 s on the first one)', () => {
    const key = 'a'.repeat(100_000);
    expect(matches('*a*a*a*a*b', key)).toBe(false);
    expect(matches(`${'*a'.repeat(200)}*b`, key)).toBe(false);
    expect(matches(`${'*?'.repeat(200)}*b`, key)).toBe(false);
    expect(matches(`${'*a'.repeat(200)}*`, key)).toBe(true);
  });

  it('names what is wrong in a pattern Redis would silently misread', () => {
    expect(checkGlob('product:[0-9]*')).toEqual([]);
    expect(checkGlob('[z-a]')).toEqual([expect.stringMatching(/range "z-a" at 1 is reversed/)]);
    expect(checkGlob('x[ab')).toEqual([expect.stringMatching(/"\[" at 1 is never closed/)]);
    expect(checkGlob('[]')).toEqual([expect.stringMatching(/empty class/)]);
    expect(checkGlob('a\\')).toEqual([expect.stringMatching(/lone "\\"/)]);
  });

  it('finds the literal prefix that bounds a pattern, and escapes text into a pattern', () => {
    expect(globLiteralPrefix('product:*')).toBe('product:');
    expect(globLiteralPrefix('\\*x?')).toBe('*x');
    for (const unbounded of ['*', '[^~]*', '?*', '[a-z]*x']) expect(globLiteralPrefix(unbounded)).toBe('');
    const text = 'a*b?[c]\\d';
    expect(matches(escapeGlob(text), text)).toBe(true);
    expect(matches(escapeGlob(text), 'a*b?[c]\\e')).toBe(false);
  });
});
