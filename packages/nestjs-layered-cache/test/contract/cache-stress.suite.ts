import type { StressedRedis } from '../helpers/stressed-redis.js';
import { uniquePrefix } from '../helpers/cache-instance.js';
import { describeCacheContract } from './cache-contract.suite.js';

/**
 * The cache contract again, with every Redis reply jittered (see stressed-redis.ts): nothing it
 * promises may depend on how fast Redis or the process is. The soft and hard timeouts are raised
 * so that they do not fire here: the contract also checks answers (a get after a set), which a
 * soft timeout gives up by design. Soft timeouts firing are the consistency checker's stress
 * (it checks only that nothing stale is served) and the slow-Redis race tests'.
 */
export function describeStressedCacheContract(topology: string, stressed: () => StressedRedis): void {
  const timeouts = { commandTimeout: 5000 }; // the contract raises the soft timeout itself
  describeCacheContract(`L2 only on ${topology}, replies jittered`, async () => ({
    prefix: uniquePrefix('st2'),
    l1: false,
    redis: await stressed().redis(timeouts),
  }));
  describeCacheContract(`L1 + L2 on ${topology}, replies jittered`, async () => ({
    prefix: uniquePrefix('st12'),
    redis: await stressed().redis(timeouts),
  }));
}
