import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@internal/dev-services';
import { answersPing, redisServerBinary, waitFor } from '@internal/dev-services';

/**
 * One redis-server on a fixed port that the chaos suite freezes (SIGSTOP), kills (SIGKILL) and
 * starts again on the same port, with its data (AOF) or empty. AOF with `appendfsync always`: a
 * write acknowledged before a SIGKILL survives it, so "write-behind and sessions lose nothing" is a
 * property of the app, not of fsync timing (with `everysec`, up to a second of writes can go).
 */
export interface ChaosRedis {
  url: string;
  pid(): number | undefined;
  pause(): void;
  resume(): void;
  /** SIGKILL, and wait for the process to be gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port: with its AOF, or `empty` (a new data directory). */
  start(options?: { empty?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** While the parent ($1) and the server ($2) live, wait; if the parent died first, kill the server. */
const WATCHDOG = `while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
kill -0 "$1" 2>/dev/null || kill -9 "$2"`;

export async function startChaosRedis(): Promise<ChaosRedis> {
  const binary = await redisServerBinary();
  const port = await freePort();
  const dirs: string[] = [];
  let dir = mkdtempSync(join(tmpdir(), 'chaos-redis-'));
  dirs.push(dir);
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const spawnServer = async () => {
    const log = openSync(join(dir, 'redis.log'), 'a');
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--protected-mode', 'no'];
    args.push('--save', '', '--appendonly', 'yes', '--appendfsync', 'always');
    const server = spawn(binary, args, { stdio: ['ignore', log, log] });
    closeSync(log);
    child = server;
    exited = new Promise((resolve) => server.once('exit', () => resolve()));
    if (server.pid !== undefined) {
      const watchdog = ['-c', WATCHDOG, 'chaos-redis-watchdog', String(process.pid), String(server.pid)];
      spawn('sh', watchdog, { detached: true, stdio: 'ignore' }).unref();
    }
    await waitFor(`redis-server on port ${port}`, () => answersPing(port), 20_000);
  };

  const kill = async () => {
    child?.kill('SIGKILL');
    await exited;
  };

  await spawnServer();
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: () => child?.pid,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    kill,
    start: async (options = {}) => {
      if (options.empty) {
        dir = mkdtempSync(join(tmpdir(), 'chaos-redis-'));
        dirs.push(dir);
      }
      await spawnServer();
    },
    stop: async () => {
      child?.kill('SIGCONT');
      await kill();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
