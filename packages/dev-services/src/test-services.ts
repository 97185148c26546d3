import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startHarnessPostgres } from './harness-postgres.js';
import { startEmbeddedRedis } from './embedded-redis.js';

export interface TestServices {
  redisUrl: string;
  /** A database created for this run alone. */
  databaseUrl: string;
  /** Unique per run, so runs sharing a TEST_REDIS_URL server never see each other's keys. */
  runId: string;
  stop(): Promise<void>;
}

/**
 * A private Redis and Postgres for one test run — or `TEST_REDIS_URL` and a fresh database on
 * `TEST_DATABASE_URL`'s server (dropped afterwards). Nothing is ever flushed on a shared server.
 */
export async function startTestServices(label: string): Promise<TestServices> {
  const runId = `t${randomBytes(4).toString('hex')}`;
  const teardown: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of teardown.reverse()) await step();
  };
  try {
    let redisUrl = process.env.TEST_REDIS_URL;
    if (!redisUrl) {
      const redis = await startEmbeddedRedis();
      redisUrl = redis.url;
      teardown.push(redis.stop);
    }
    const dbName = `${label}_test_${runId}`;
    let databaseUrl: string;
    if (process.env.TEST_DATABASE_URL) {
      const adminUrl = process.env.TEST_DATABASE_URL;
      await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${dbName}`));
      const url = new URL(adminUrl);
      url.pathname = `/${dbName}`;
      databaseUrl = url.toString();
      teardown.push(async () => {
        await withClient(adminUrl, async (client) => {
          // Replication slots (change data capture) block DROP DATABASE and keep WAL until dropped.
          await client.query(
            `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL`,
            [dbName],
          );
          await client.query(
            `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`,
            [dbName],
          );
          await client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        });
      });
    } else {
      const server = await startHarnessPostgres(`${label}-${runId}`, dbName);
      teardown.push(server.stop);
      databaseUrl = server.databaseUrl;
    }
    return { redisUrl, databaseUrl, runId, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs `work` on a short-lived connection to `url`. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
