export { startEmbeddedPostgres, freePort, type EmbeddedPostgresServer } from './embedded-postgres.js';
export { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.js';
export { startAppPostgres, type AppPostgres } from './app-postgres.js';
export { EmbeddedPostgresError } from './postgres.process.js';
export { ROOT_RUN_DIR } from './postgres.placement.js';
