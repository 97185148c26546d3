import { describe, expect, it } from 'vitest';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { CacheRoute } from './cache-route.decorator.js';
import type { CacheRouteOptions } from './http-cache.interface.js';

describe('@CacheRoute options', () => {
  it('accepts sensible options and false', () => {
    expect(() => CacheRoute({ ttl: 1000, grace: 0, scope: 'user', vary: ['Accept-Language'] })).not.toThrow();
    expect(() => CacheRoute({ scope: 'public', edge: true })).not.toThrow();
    expect(() => CacheRoute({ edge: true })).not.toThrow();
    expect(() => CacheRoute({ edge: 'skip-global-guards' })).not.toThrow();
    expect(() => CacheRoute(false)).not.toThrow();
  });

  it('refuses mistakes when the controller loads, naming each one', () => {
    const bad = (options: CacheRouteOptions) => () => CacheRoute(options);
    expect(bad({ ttl: 0 })).toThrow(CacheConfigError);
    expect(bad({ ttl: 0, grace: -1 })).toThrow(/ttl must be > 0 ms, got 0; grace must be ≥ 0 ms, got -1/);
    expect(bad({ scope: 'everyone' as never })).toThrow(/scope must be 'public', 'user' or 'tenant'/);
    expect(bad({ vary: ['Accept Language'] })).toThrow(/vary must list request header names/);
    expect(bad({ edge: true, scope: 'user' })).toThrow(/edge needs scope 'public' \(its default\) and no vary/);
    expect(bad({ edge: 'yes' as never })).toThrow(/edge must be true, false or 'skip-global-guards', got "yes"/);
    expect(bad({ edge: true, scope: 'public', vary: ['accept'] })).toThrow(/edge needs scope 'public'/);
  });
});
