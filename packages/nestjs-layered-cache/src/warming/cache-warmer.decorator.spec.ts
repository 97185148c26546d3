import { describe, expect, it } from 'vitest';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { CacheWarmer } from './cache-warmer.decorator.js';

describe('@CacheWarmer schedule', () => {
  it('takes a cron pattern or whole ms ≥ 100', () => {
    expect(() => CacheWarmer({ name: 'a', schedule: '0 * * * *' })).not.toThrow();
    expect(() => CacheWarmer({ name: 'a', schedule: 100 })).not.toThrow();
  });

  it('checks an interval by the library’s duration rule, naming the warmer', () => {
    expect(() => CacheWarmer({ name: 'a', schedule: 50 })).toThrow(CacheConfigError);
    expect(() => CacheWarmer({ name: 'a', schedule: 50 })).toThrow(
      /@CacheWarmer\(a\) schedule must be ≥ 100 ms, got 50/,
    );
    expect(() => CacheWarmer({ name: 'a', schedule: 1e15 })).toThrow(/schedule must be at most \d+ ms \(ten years\)/);
    expect(() => CacheWarmer({ name: 'a', schedule: 150.5 })).toThrow(/schedule must be whole milliseconds/);
  });
});
