import { describe, expect, it } from 'vitest';
import { resolveCacheOptions } from '../options/cache-options.resolve.js';
import { HttpCacheContext, knownKey, rememberKey } from './http-cache.context.js';

const context = new HttpCacheContext(resolveCacheOptions({ ttl: 60_000, grace: 0, redis: false }).http);

describe('HTTP route resolution', () => {
  it('takes edge: true as public, and serves it at the edge only when the edge accepted it', () => {
    const refused = context.resolve({ edge: true }, 'Catalog.list');
    expect(refused).toMatchObject({ scope: 'public', edge: false, cacheControl: 'public, max-age=60' });
    expect(refused.sharedControl).toBe(true);
    expect(context.resolve({ edge: true }, 'Catalog.list', true).edge).toBe(true);
    expect(context.resolve({}, 'Items.get').sharedControl).toBe(false);
  });

  it('remembers keys by URL only where the URL alone makes the key, and boundedly', () => {
    expect(context.resolve({ scope: 'user' }, 'Me.get').keys).toBeUndefined();
    expect(context.resolve({ scope: 'public', vary: ['accept-language'] }, 'Greeting.get').keys).toBeUndefined();
    const route = context.resolve({ scope: 'public' }, 'Products.get');
    rememberKey(route, '/products/1', 'products/1||shared');
    rememberKey(route, '/products/1?junk=1', null);
    expect(knownKey(route, '/products/1')).toBe('products/1||shared');
    expect(knownKey(route, '/products/1?junk=1')).toBeNull();
    rememberKey(route, `/products/${'x'.repeat(2000)}`, 'long');
    expect(knownKey(route, `/products/${'x'.repeat(2000)}`)).toBeUndefined();
    for (let i = 0; i < 1500; i++) rememberKey(route, `/products/${i}`, `products/${i}||shared`);
    expect(route.keys!.size).toBeLessThanOrEqual(1000);
  });
});
