import { describe, expect, it } from 'vitest';
import { CACHE_OPTION_DEFAULTS as D } from '../core/cache-option.defaults.js';
import { isOutage } from '../core/fail-safe.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { defaultKeyGroup } from '../events/key-group.js';
import { defaultUserId } from '../http/http-cache.context.js';
import { V8Serializer } from '../serialization/v8.serializer.js';
import { resolveCacheOptions } from './cache-options.resolve.js';

const url = 'redis://localhost:6379/0';

describe('resolveCacheOptions', () => {
  it('applies every default once, from the defaults table', () => {
    const resolved = resolveCacheOptions({ redis: { url } });
    expect(resolved).toMatchObject({
      prefix: 'cache',
      namespace: 'default',
      fillWindow: 60_000,
      compressAbove: 16_384,
      l1: { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, maxEntryBytes: 1024 * 1024 },
      redis: { url, softTimeout: 250, commandTimeout: 1_000, connectTimeout: 2_000 },
      bus: { heartbeat: 1_000, missedBeats: 3 },
      http: { namespace: 'http', maxBodyBytes: 1024 * 1024, sessionCookies: ['connect.sid', 'sessionId', 'sid'] },
    });
    expect(resolved.stack).toMatchObject({
      ttl: 60_000,
      grace: 0,
      loaderTimeout: 60_000,
      maxValueBytes: 8 * 1024 * 1024,
      rootNamespace: 'default',
      maxTransactionHold: 60_000,
      failSafe: 0,
      failSafeRetry: { retryAfter: 5_000, maxRetryAfter: 60_000 },
      softTimeout: 250,
      lock: { ttl: 10_000, maxWait: 5_000 },
      circuit: { threshold: 5, window: 10_000, cooldown: 2_000 },
    });
    expect(resolved.stack.keyGroup).toBe(defaultKeyGroup);
    expect(resolved.stack.failSafeRetry.when).toBe(isOutage);
    expect(resolved.serializer).toBeInstanceOf(V8Serializer);
    expect(resolved.http.userId).toBe(defaultUserId);
  });

  it('derives loaderTimeout and the transaction hold from fillWindow, unless loaderTimeout is set', () => {
    expect(resolveCacheOptions({ redis: false, fillWindow: 9_000 }).stack).toMatchObject({
      loaderTimeout: 9_000,
      maxTransactionHold: 9_000,
    });
    expect(resolveCacheOptions({ redis: false, fillWindow: 9_000, loaderTimeout: 0 }).stack.loaderTimeout).toBe(0);
  });

  it('keeps entries for fail-safe only when it is on, in the stack and in HTTP alike', () => {
    const on = resolveCacheOptions({ redis: false, failSafe: {} });
    expect([on.stack.failSafe, on.http.failSafe]).toEqual([D.failSafe.maxStale, D.failSafe.maxStale]);
    const custom = resolveCacheOptions({ redis: false, ttl: 5, grace: 7, failSafe: { maxStale: 9, retryAfter: 1 } });
    expect(custom.http).toMatchObject({ ttl: 5, grace: 7, failSafe: 9 });
    expect(custom.stack.failSafeRetry).toMatchObject({ retryAfter: 1, maxRetryAfter: D.failSafe.maxRetryAfter });
    expect(resolveCacheOptions({ redis: false, failSafe: false }).http.failSafe).toBe(0);
  });

  it('passes the L1 policy on (lru unless told)', () => {
    expect(resolveCacheOptions({ redis: false }).l1).toMatchObject({ policy: 'lru' });
    expect(resolveCacheOptions({ redis: false, l1: { policy: 'tinylfu' } }).l1).toMatchObject({ policy: 'tinylfu' });
  });

  it('has no soft timeout and no bus without Redis, and no bus without L1 or with bus: false', () => {
    const memory = resolveCacheOptions({ redis: false });
    expect([memory.stack.softTimeout, memory.redis, memory.bus]).toEqual([0, false, false]);
    expect(resolveCacheOptions({ redis: { url }, l1: false }).bus).toBe(false);
    expect(resolveCacheOptions({ redis: { url }, bus: false }).bus).toBe(false);
    expect(resolveCacheOptions({ redis: { url }, bus: { heartbeat: 0 } }).bus).toEqual({
      heartbeat: 0,
      missedBeats: 3,
    });
  });

  it('turns the off switches into the engine’s forms', () => {
    const off = resolveCacheOptions({ redis: { url }, lock: false, circuitBreaker: false, compressAbove: false });
    expect([off.stack.lock, off.stack.circuit, off.compressAbove]).toEqual([false, false, Infinity]);
    expect(resolveCacheOptions({ redis: { url, softTimeout: 0 } }).stack.softTimeout).toBe(0);
  });

  it('returns an object no provider can change', () => {
    const resolved = resolveCacheOptions({ redis: { url } });
    for (const part of [resolved, resolved.stack, resolved.stack.lock, resolved.l1, resolved.redis, resolved.http]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
  });

  it('validates first, naming each wrong option', () => {
    const bad = () => resolveCacheOptions({ redis: { url }, ttl: 0, bus: { missedBeats: 1 } });
    expect(bad).toThrow(CacheConfigError);
    expect(bad).toThrow(/ttl: ttl must be > 0 ms \(there are no eternal entries\)/);
    expect(bad).toThrow(/bus.missedBeats: bus.missedBeats must be ≥ 2 \(one beat is always in flight\)/);
    expect(() => resolveCacheOptions({ redis: false, fillWindow: 11 * 365 * 24 * 3_600_000 })).toThrow(
      /fillWindow: fillWindow must be at most \d+ ms \(ten years\)/,
    );
  });
});
