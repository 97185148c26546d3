import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface AppPostgres {
  /** URL of the app's `erp` database. */
  databaseUrl: string;
  /** Where the server's files really are (see README: embedded Postgres as root). */
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The sample app's embedded database (`npm start` without DATABASE_URL): persistent in `dataDir`,
 * with the `erp` database created on the first run and found again on the next.
 */
export async function startAppPostgres(dataDir: string): Promise<AppPostgres> {
  const pg = await startEmbeddedPostgres({ dataDir, persistent: true });
  try {
    const databaseUrl = await pg.createDatabase('erp').catch((error: Error) => {
      if (!/already exists/.test(error.message)) throw error;
      return pg.url.replace(/\/postgres$/, '/erp');
    });
    return { databaseUrl, dataDir: pg.dataDir, stop: () => pg.stop() };
  } catch (error) {
    await pg.stop();
    throw error;
  }
}
