import { describe, expect, it } from 'vitest';
import { validateCacheOptions } from './cache-options.schema.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import type { CacheModuleOptions } from '../cache-options.interface.js';

const ok: CacheModuleOptions = { redis: { url: 'redis://localhost:6379/0' } };

describe('validateCacheOptions', () => {
  it('accepts sensible options', () => {
    expect(() => validateCacheOptions(ok)).not.toThrow();
    expect(() => validateCacheOptions({ redis: false, ttl: 1000, grace: 0, l1: { maxBytes: 1024 } })).not.toThrow();
    expect(() => validateCacheOptions({ ...ok, l1: { policy: 'tinylfu' } })).not.toThrow();
  });

  it.each([
    [{ ...ok, ttl: -5 }, /ttl: ttl must be > 0 ms/],
    [{ ...ok, ttl: 1.5 }, /ttl: ttl must be whole milliseconds/],
    [{ ...ok, grace: -1 }, /grace: grace must be ≥ 0 ms/],
    [{ ...ok, l1: { maxBytes: 0 } }, /l1.maxBytes: l1.maxBytes must be > 0 bytes/],
    [{ ...ok, l1: { policy: 'lfu' } }, /l1.policy: l1.policy must be "lru" or "tinylfu"/],
    [{ redis: { url: 'localhost:6379' } }, /redis.url: redis.url must look like redis:\/\/host:6379\/0/],
    [{ ...ok, prefix: 'has space' }, /prefix: prefix must be 1–64 letters/],
    [{ ...ok, tll: 5 }, /Unrecognized key/],
    [{}, /redis: missing/],
    [{ redis: false, l1: false }, /both are false/],
    [{ redis: {} }, /redis: redis needs exactly one of url, sentinel, cluster or client/],
    [{ redis: { url: 'redis://a', cluster: { nodes: [{ host: 'a', port: 1 }] } } }, /exactly one of url, sentinel/],
    [{ redis: { cluster: { nodes: [] } } }, /redis.cluster.nodes needs at least one/],
    [{ redis: { sentinel: { name: '', sentinels: [{ host: 'a', port: 0 }] } } }, /redis.sentinel.name/],
  ] as [CacheModuleOptions, RegExp][])('rejects %j with a message naming the option', (options, message) => {
    expect(() => validateCacheOptions(options)).toThrow(CacheConfigError);
    expect(() => validateCacheOptions(options)).toThrow(message);
  });
});
