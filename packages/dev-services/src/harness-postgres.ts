import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';

/**
 * The test harness's private Postgres (no TEST_DATABASE_URL): a throwaway server in the temp
 * directory with one database, `dbName`, for the whole run.
 */
export async function startHarnessPostgres(
  runId: string,
  dbName: string,
): Promise<{ databaseUrl: string; stop(): Promise<void> }> {
  const dataDir = join(tmpdir(), `cache-test-pg-${runId}`);
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  const stop = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    return { databaseUrl: await server.createDatabase(dbName), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
