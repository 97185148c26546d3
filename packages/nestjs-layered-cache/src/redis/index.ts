export { createRedisClient, type ClientRole, type RedisClient } from './redis-client.factory.js';
export { redisOptionsFromEnv, type RedisTopology } from './redis-env.js';
