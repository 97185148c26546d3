import { afterAll, beforeAll, describe, inject } from 'vitest';
import { stressSingle, type StressedRedis } from '../helpers/stressed-redis.js';
import { describeStressedCacheContract } from './cache-stress.suite.js';

/** The contract on a single Redis whose replies come late and unevenly (Sentinel and Cluster: topology specs). */
describe('stress: jittered Redis replies', () => {
  let stressed: StressedRedis;
  beforeAll(async () => void (stressed = await stressSingle(inject('redisUrl'))));
  afterAll(() => stressed?.close());
  describeStressedCacheContract('single Redis', () => stressed);
});
