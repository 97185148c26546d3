import { describe, expect, it } from 'vitest';
import { CacheKeyError } from '../errors/cache-key.error.js';
import { renderKey, renderTags, renderTemplate } from './key-template.js';

describe('key templates', () => {
  it('renders positional arguments and property paths', () => {
    expect(renderTemplate('product:{0}', [42])).toBe('product:42');
    expect(renderTemplate('user:{1.id}:order:{0}', ['o1', { id: 7 }])).toBe('user:7:order:o1');
    expect(renderKey((a: number, b: number) => `sum:${a + b}`, [1, 2])).toBe('sum:3');
    expect(renderTags(['p:{0}', 'products'], [3])).toEqual(['p:3', 'products']);
  });

  it('refuses to build a key from a missing or non-scalar value', () => {
    expect(() => renderTemplate('product:{0}', [])).toThrow(CacheKeyError);
    expect(() => renderTemplate('product:{0.id}', [{}])).toThrow(
      /needs \{0.id\} to be a string or number, got undefined/,
    );
    expect(() => renderTemplate('product:{0}', [{ id: 1 }])).toThrow(/got object/);
  });
});
