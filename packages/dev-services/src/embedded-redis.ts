import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { RedisMemoryServer } from 'redis-memory-server';

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
  /** Starts the same server again on the same port (for outage tests). */
  restart(): Promise<void>;
  /** Stops it without forgetting the port. */
  pause(): Promise<void>;
}

/** The `redis-server` on PATH, if any; otherwise redis-memory-server downloads and builds one. */
function systemRedisServer(): string | undefined {
  if (process.env.REDISMS_SYSTEM_BINARY) return process.env.REDISMS_SYSTEM_BINARY;
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a private redis-server on a free port. With `dataDir`, AOF is on and data survives
 * restarts (the sample app's embedded start); without it, nothing touches the disk (tests).
 */
export async function startEmbeddedRedis(options: { dataDir?: string } = {}): Promise<EmbeddedRedis> {
  const args: string[] = [];
  if (options.dataDir !== undefined) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', options.dataDir);
  }
  const systemBinary = systemRedisServer();
  const server = await RedisMemoryServer.create({
    instance: { ip: '127.0.0.1', args },
    ...(systemBinary ? { binary: { systemBinary } } : {}),
  });
  const url = `redis://127.0.0.1:${await server.getPort()}`;
  return {
    url,
    stop: async () => void (await server.stop()),
    pause: async () => void (await server.stop()),
    restart: async () => void (await server.start()),
  };
}
