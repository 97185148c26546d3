import { afterAll, beforeAll, describe, inject } from 'vitest';
import { stressSingle, type StressedRedis } from '../helpers/stressed-redis.js';
import { describeStressedConsistencyChecker } from './consistency-checker.suite.js';

/** The checker on a single Redis answering late and unevenly (Sentinel and Cluster: topology specs). */
describe('stress: jittered Redis replies', () => {
  let stressed: StressedRedis;
  beforeAll(async () => void (stressed = await stressSingle(inject('redisUrl'))));
  afterAll(() => stressed?.close());
  describeStressedConsistencyChecker('single Redis', () => stressed);
});
