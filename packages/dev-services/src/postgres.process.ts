import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Thrown when embedded Postgres cannot run here; its message says why and what to do, in one sentence. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/** The OS user the server runs as when this process is root (Postgres refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

const INITDB_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/**
 * Change data capture (nestjs-layered-cache/cdc) reads the WAL through logical replication. Given
 * on the command line, so an existing data directory (the sample app's .data/postgres) gets it too.
 */
const LOGICAL_REPLICATION = ['-c', 'wal_level=logical', '-c', 'max_replication_slots=40', '-c', 'max_wal_senders=40'];
/** Server messages are parsed ("ready to accept connections"), so they must be in English. */
const ENV = { ...process.env, LC_MESSAGES: 'C' };

/** Running servers, stopped (fast shutdown) if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGINT');
});

/** Creates a cluster in `dataDir` whose `postgres` role has `password`. */
export async function initdb(
  bin: PostgresBinaries,
  dataDir: string,
  password: string,
  options: { scratchDir: string; runAs?: RunAs },
): Promise<void> {
  // The server's user must read it; nobody else may.
  const pwfile = join(options.scratchDir, `pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (options.runAs) chownSync(pwfile, options.runAs.uid, options.runAs.gid);
    const args = [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${pwfile}`];
    const child = spawnAs(bin.initdb, [...args, '--lc-messages=C'], options.runAs);
    const output = tail(child);
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new EmbeddedPostgresError(`initdb did not finish within ${INITDB_TIMEOUT_MS / 1000} s.`));
      }, INITDB_TIMEOUT_MS);
      child.once('error', (error) => (clearTimeout(timer), reject(spawnFailure(bin.initdb, error))));
      child.once('close', (exitCode) => (clearTimeout(timer), resolve(exitCode)));
    });
    if (code !== 0) throw new EmbeddedPostgresError(`initdb failed (exit code ${code}): ${output.text()}`);
  } finally {
    unlinkSync(pwfile);
  }
}

export interface PostgresProcess {
  stop(): Promise<void>;
}

/** Starts the server on `port` and resolves once it accepts connections. */
export async function startPostgres(
  bin: PostgresBinaries,
  dataDir: string,
  port: number,
  runAs?: RunAs,
): Promise<PostgresProcess> {
  const child = spawnAs(bin.postgres, ['-D', dataDir, '-p', String(port), ...LOGICAL_REPLICATION], runAs);
  const output = tail(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.off('error', onError).off('exit', onExit);
      if (!error) return resolve();
      child.kill('SIGKILL');
      reject(error);
    };
    const onError = (error: NodeJS.ErrnoException) => settle(spawnFailure(bin.postgres, error));
    const onExit = (code: number | null) =>
      settle(new EmbeddedPostgresError(`Postgres exited while starting (code ${code}): ${output.text()}`));
    const timer = setTimeout(
      () =>
        settle(
          new EmbeddedPostgresError(`Postgres did not start within ${START_TIMEOUT_MS / 1000} s: ${output.text()}`),
        ),
      START_TIMEOUT_MS,
    );
    child.on('error', onError).on('exit', onExit);
    output.onLine((line) => {
      if (line.includes('ready to accept connections')) settle();
    });
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  // Keep 'error' handled after startup: an unhandled one would crash the process.
  child.on('error', () => undefined);
  return {
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // fast shutdown
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS).unref()),
      ]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

function spawnAs(file: string, args: string[], runAs?: RunAs): ChildProcess {
  return spawn(file, args, { env: ENV, stdio: ['ignore', 'pipe', 'pipe'], ...(runAs ?? {}) });
}

function spawnFailure(file: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'EACCES')
    return new EmbeddedPostgresError(
      `${file} cannot be executed (EACCES): make it and every directory above it executable for ${process.getuid?.() === 0 ? 'the postgres user' : 'you'}, or set DATABASE_URL.`,
    );
  return new EmbeddedPostgresError(`${file} could not be started: ${error.message}`);
}

/**
 * The last lines a process printed (for error messages), read continuously: a pipe nobody drains
 * fills up and blocks the server.
 */
function tail(child: ChildProcess, keep = 8): { text(): string; onLine(listener: (line: string) => void): void } {
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  let partial = '';
  const read = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      if (!line.trim()) continue;
      lines.push(line.trim());
      if (lines.length > keep) lines.shift();
      for (const listener of listeners) listener(line);
    }
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  return { text: () => lines.join(' | ') || '(no output)', onLine: (listener) => listeners.push(listener) };
}
