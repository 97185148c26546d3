export { startEmbeddedPostgres, freePort, type EmbeddedPostgresServer } from './embedded-postgres.js';
export { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
