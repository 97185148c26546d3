import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { globMatcher } from '../../src/l1/glob-pattern.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

/** Keys and patterns over a small alphabet, so that random patterns do match random keys. */
const KEYS = [
  '',
  'a',
  'b',
  'ab',
  'ba',
  'aab',
  'a-b',
  'a]b',
  'a[b',
  'a*b',
  'a?b',
  'a\\b',
  'a^b',
  'é',
  'aéb',
  'zz',
  'a:b:c',
];
const patternUnit = fc.constantFrom('a', 'b', 'z', '*', '?', '[', ']', '^', '-', '\\', 'é', ':');

describe('property: L1 glob matching agrees with Redis SCAN MATCH', () => {
  let redis: Redis;
  const prefix = `${uniquePrefix('glob')}:`;

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'), { lazyConnect: true, commandTimeout: 5000 });
    await redis.connect();
    await redis.mset(...KEYS.flatMap((k) => [prefix + k, '1']));
  });
  afterAll(async () => {
    await redis?.del(...KEYS.map((k) => prefix + k));
    redis?.disconnect();
  });

  async function scanMatch(pattern: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', prefix + pattern, 'COUNT', 1000);
      cursor = next;
      found.push(...keys.map((k) => k.slice(prefix.length)));
    } while (cursor !== '0');
    return found.sort();
  }

  it('every pattern selects the same keys in both', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: patternUnit, maxLength: 8 }), async (pattern) => {
        const matches = globMatcher(prefix + pattern);
        const local = KEYS.filter((k) => matches(prefix + k)).sort();
        expect(local, `pattern ${JSON.stringify(pattern)}`).toEqual(await scanMatch(pattern));
      }),
      { numRuns: 2000 },
    );
  });
});
