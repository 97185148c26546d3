export { startEmbeddedPostgres, freePort, type EmbeddedPostgresServer } from './embedded-postgres.js';
export { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
export * from './latency-proxy.js';
export * from './redis-process.js';
export * from './redis-topology.js';
export { startTestServices, withClient, type TestServices } from './test-services.js';
