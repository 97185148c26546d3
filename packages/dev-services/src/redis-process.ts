import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisBinary } from 'redis-memory-server';

/**
 * redis-server processes for the topology tests (redis-topology.ts): a free port (and cluster bus
 * port) each, a temp dir, an admin connection, and cleanup even when the test process dies.
 */

export const HOST = '127.0.0.1';
const BUS_PORT_OFFSET = 10000;

export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** One redis-server process (plain, cluster node or sentinel) with its own temp dir and an admin connection. */
export interface RedisNode {
  port: number;
  /** Ports it holds in `reserved`: its own and, for a cluster node, its bus port. */
  ports: number[];
  dir: string;
  child: ChildProcess;
  /** Resolves (never rejects) with why the process ended. */
  exited: Promise<string>;
  admin: Redis;
}

/** Extra arguments for a node, given its port and temp dir (a sentinel writes its config file there). */
type ArgsFor = (port: number, dir: string) => string[];

const live = new Set<RedisNode>();
/** Ports handed out in this process, so that nodes started in parallel never pick each other's. */
const reserved = new Set<number>();
let binary: Promise<string> | undefined;

/** Same order as src/embedded/embedded-redis.ts: REDISMS_SYSTEM_BINARY, PATH, else redis-memory-server's build. */
export function redisServerBinary(): Promise<string> {
  binary ??= (async () => {
    if (process.env.REDISMS_SYSTEM_BINARY) return process.env.REDISMS_SYSTEM_BINARY;
    try {
      const onPath = execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
      if (onPath) return onPath;
    } catch {
      // not on PATH
    }
    return RedisBinary.getPath();
  })();
  return binary;
}

async function isPortFree(port: number): Promise<boolean> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => resolve(true));
  });
  await new Promise((resolve) => server.close(resolve));
  return free;
}

/** Free ports in 20000–39999, so that a cluster node's bus port (+10000) is valid too; that one must be free as well. */
async function reservePorts(withBusPort: boolean): Promise<number[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const ports = withBusPort ? [port, port + BUS_PORT_OFFSET] : [port];
    if (ports.some((p) => reserved.has(p))) continue;
    if (!(await isPortFree(port)) || (withBusPort && !(await isPortFree(port + BUS_PORT_OFFSET)))) continue;
    ports.forEach((p) => reserved.add(p));
    return ports;
  }
  throw new Error('redis-topology: found no free port in 20000-39999');
}

/** Polls `check` until it is true; a throwing check counts as "not yet" (nodes refuse commands while converging). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(50);
  }
  const cause = lastError === undefined ? '' : ` (last error: ${lastError})`;
  throw new Error(`redis-topology: timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
}

/** A raw PING, so that polling a starting server costs no client set-up and prints no reconnect noise. */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST, () => socket.write('PING\r\n'));
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** A test process that exits without stop() must leave no servers behind ('exit' handlers must be synchronous). */
function killAllOnExit(): void {
  for (const node of live) {
    node.child.kill('SIGKILL');
    rmSync(node.dir, { recursive: true, force: true });
  }
}

/** While the parent ($1) and the server ($2) live, wait; if the parent died first, kill the server and remove $3. */
const WATCHDOG = `while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
kill -0 "$1" 2>/dev/null || { kill -9 "$2"; rm -rf "$3"; }`;

/**
 * 'exit' handlers do not run when a process is killed by a signal, and vitest ends its fork workers with SIGTERM
 * (SIGKILL on a timeout). So each server also gets a detached shell watchdog that outlives the test process.
 */
function watch(child: ChildProcess, dir: string): void {
  if (child.pid === undefined) return;
  const args = ['-c', WATCHDOG, 'redis-topology-watchdog', String(process.pid), String(child.pid), dir];
  spawn('sh', args, { detached: true, stdio: 'ignore' }).unref();
}

function spawnNode(binaryPath: string, ports: number[], argsFor: ArgsFor): RedisNode {
  const port = ports[0];
  const dir = mkdtempSync(join(tmpdir(), `redis-topology-${port}-`));
  const common = ['--port', String(port), '--bind', HOST, '--dir', dir, '--protected-mode', 'no'];
  const persistence = ['--save', '', '--appendonly', 'no'];
  // Redis 7 syncs replicas diskless after waiting 5 s for more of them; and its CLUSTER SLOTS hides replicas whose
  // replication offset is still 0, which on an idle master lasts until its first replication PING (every 10 s).
  const replication = ['--repl-diskless-sync-delay', '0', '--repl-ping-replica-period', '1'];
  const log = openSync(join(dir, 'redis.log'), 'a');
  const args = [...argsFor(port, dir), ...common, ...persistence, ...replication];
  const child = spawn(binaryPath, args, { stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
    child.once('error', (error) => resolve(error.message));
  });
  // One retry and a command timeout, so that a setup step against a dead node fails instead of hanging.
  const admin = new Redis({ host: HOST, port, lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: 3000 });
  admin.on('error', () => {}); // reconnects are expected (stop, failover); commands report real failures
  const node = { port, ports, dir, child, exited, admin };
  watch(child, dir);
  if (live.size === 0) process.once('exit', killAllOnExit);
  live.add(node);
  return node;
}

function logTail(node: RedisNode, lines = 20): string {
  try {
    return readFileSync(join(node.dir, 'redis.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts a node and resolves once it answers PING; rejects with the tail of its log if it dies or hangs. */
export async function startNode(argsFor: ArgsFor, withBusPort = false): Promise<RedisNode> {
  const binaryPath = await redisServerBinary();
  for (let attempt = 1; ; attempt++) {
    const node = spawnNode(binaryPath, await reservePorts(withBusPort), argsFor);
    let failure: string | undefined;
    node.exited.then(
      (reason) => (failure ??= reason),
      () => undefined,
    );
    await waitFor(`PING on port ${node.port}`, async () => failure !== undefined || answersPing(node.port)).catch(
      (error: Error) => (failure ??= error.message),
    );
    if (failure === undefined) return node;
    const tail = logTail(node);
    await stopNode(node);
    // Another process may take the port between our check and the server's bind: then pick another.
    if (attempt < 3 && tail.includes('Address already in use')) continue;
    throw new Error(`redis-server ${binaryPath} on ${HOST}:${node.port} did not start (${failure}). Log:\n${tail}`);
  }
}

/** Starts `count` nodes in parallel; if any fails, stops the others before rethrowing. */
export async function startNodes(count: number, argsFor: ArgsFor, withBusPort = false): Promise<RedisNode[]> {
  const results = await Promise.allSettled(Array.from({ length: count }, () => startNode(argsFor, withBusPort)));
  const nodes = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) {
    await stopAll(nodes);
    throw failed.reason;
  }
  return nodes;
}

/** SIGTERM, SIGKILL if it has not exited within 5 s, then removes its temp dir. */
async function stopNode(node: RedisNode): Promise<void> {
  node.admin.disconnect();
  const timer = setTimeout(() => node.child.kill('SIGKILL'), 5000);
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
  await node.exited;
  clearTimeout(timer);
  rmSync(node.dir, { recursive: true, force: true });
  node.ports.forEach((port) => reserved.delete(port));
  live.delete(node);
  if (live.size === 0) process.removeListener('exit', killAllOnExit);
}

export async function stopAll(nodes: RedisNode[]): Promise<void> {
  await Promise.all(nodes.map(stopNode));
}

export const address = (node: RedisNode): RedisNodeAddress => ({ host: HOST, port: node.port });
