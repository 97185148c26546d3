import { describe, expect, it } from 'vitest';
import { canonicalTarget, responseKey } from './http-cache-key.js';

describe('HTTP cache keys', () => {
  it('sorts the query so parameter order never splits a key', () => {
    expect(canonicalTarget('/products?b=2&a=1')).toBe(canonicalTarget('/products?a=1&b=2'));
    expect(canonicalTarget('/products?tag=x&a=1&tag=y')).toBe('/products?a=1&tag=x&tag=y');
    expect(canonicalTarget('/products?tag=y&a=1&tag=x')).toBe('/products?a=1&tag=y&tag=x');
  });

  it('drops duplicate and trailing slashes and an empty query', () => {
    expect(canonicalTarget('//products//42/')).toBe('/products/42');
    expect(canonicalTarget('/products/?')).toBe('/products');
    expect(canonicalTarget('/')).toBe('/');
  });

  it('keeps distinct values and encodings distinct', () => {
    expect(canonicalTarget('/p?q=a%20b')).toBe(canonicalTarget('/p?q=a+b'));
    expect(canonicalTarget('/p?q=1')).not.toBe(canonicalTarget('/p?q=2'));
  });

  it('starts keys with the path so they group by first segment, and bounds their length', () => {
    expect(responseKey('/products/42', '', 'shared')).toBe('products/42||shared');
    const long = responseKey(`/search?q=${'x'.repeat(2000)}`, '', 'shared');
    expect(long.length).toBeLessThan(100);
    expect(long.startsWith('search/#')).toBe(true);
    expect(responseKey(`/search?q=${'x'.repeat(2000)}`, '', 'user=1')).not.toBe(long);
  });
});
