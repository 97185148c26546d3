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

  it('renders named roots, as used for request parts on controller handlers', () => {
    const request = { params: { id: '9' }, query: { page: '2' }, body: { items: [{ sku: 'A-1' }] } };
    expect(renderTemplate('product:{params.id}:p{query.page}', request)).toBe('product:9:p2');
    expect(renderTemplate('sku:{body.items.0.sku}', request)).toBe('sku:A-1');
    expect(renderTags((req: typeof request) => [`p:${req.params.id}`], [request], request)).toEqual(['p:9']);
  });

  it('refuses to build a key from a missing or non-scalar value', () => {
    expect(() => renderTemplate('product:{0}', [])).toThrow(CacheKeyError);
    expect(() => renderTemplate('product:{0.id}', [{}])).toThrow(
      /needs \{0.id\} to be a string or number, got undefined/,
    );
    expect(() => renderTemplate('product:{0}', [{ id: 1 }])).toThrow(/got object/);
    expect(() => renderTemplate('product:{params.id}', { params: {} })).toThrow(/needs \{params.id\}/);
  });
});
