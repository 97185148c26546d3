import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisBinary } from 'redis-memory-server';

/**
 * Real local Redis Cluster and Sentinel topologies, started from the `redis-server` binary (no redis-cli, no
 * Docker), for integration tests. Every node listens on 127.0.0.1 only, persists nothing and has its own temp dir.
 */

export interface RedisNodeAddress {
  host: string;
  port: number;
}

export interface LocalRedisCluster {
  /** Seed nodes (the masters), for `new Cluster(nodes)`. */
  nodes: RedisNodeAddress[];
  stop(): Promise<void>;
}

export interface LocalRedisSentinel {
  sentinels: RedisNodeAddress[];
  masterName: string;
  /**
   * Forces a failover (SENTINEL FAILOVER) and resolves once the sentinel reports the replica as the new master and it
   * answers ROLE as master. The sentinel demotes the old master (and kills its clients) about a second later; until
   * then it still accepts writes. Can be called again to fail back.
   */
  failover(): Promise<void>;
  /** Current master address as the sentinel reports it. */
  master(): Promise<RedisNodeAddress>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const SLOTS = 16384;
const BUS_PORT_OFFSET = 10000;

/** One redis-server process (plain, cluster node or sentinel) with its own temp dir and an admin connection. */
interface RedisNode {
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
function redisServerBinary(): Promise<string> {
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
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
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
function answersPing(port: number): Promise<boolean> {
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
async function startNode(argsFor: ArgsFor, withBusPort = false): Promise<RedisNode> {
  const binaryPath = await redisServerBinary();
  for (let attempt = 1; ; attempt++) {
    const node = spawnNode(binaryPath, await reservePorts(withBusPort), argsFor);
    let failure: string | undefined;
    void node.exited.then((reason) => (failure ??= reason));
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
async function startNodes(count: number, argsFor: ArgsFor, withBusPort = false): Promise<RedisNode[]> {
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

async function stopAll(nodes: RedisNode[]): Promise<void> {
  await Promise.all(nodes.map(stopNode));
}

const address = (node: RedisNode): RedisNodeAddress => ({ host: HOST, port: node.port });

/** Redis' own replication view: ['slave', host, port, 'connected', offset] once the initial sync is done. */
async function replicaInSync(node: RedisNode): Promise<boolean> {
  const role = await node.admin.role();
  return role[0] === 'slave' && role[3] === 'connected';
}

/** Ports per slot range (master, then replicas) as one node sees them; undefined while a range lacks replicas. */
async function slotMap(node: RedisNode, replicasPerMaster: number): Promise<string | undefined> {
  const ranges = (await node.admin.call('CLUSTER', 'SLOTS')) as [number, number, ...[string, number][]][];
  if (ranges.some((range) => range.length !== 3 + replicasPerMaster)) return undefined;
  return ranges
    .map(([start, end, ...owners]) => `${start}-${end}:${owners.map(([, port]) => port).join(',')}`)
    .sort()
    .join(' ');
}

/** CLUSTER REPLICATE only accepts a master the replica already knows, not one still in handshake. */
async function allNodesKnown(nodes: RedisNode[]): Promise<boolean> {
  const views = await Promise.all(nodes.map((node) => node.admin.call('CLUSTER', 'NODES')));
  return views.every((view) => {
    const lines = String(view).trim().split('\n');
    return lines.length === nodes.length && !lines.some((line) => /handshake|noaddr/.test(line));
  });
}

/** Every node reports cluster_state:ok and the same slot map, with every replica listed and in sync. */
async function clusterConverged(nodes: RedisNode[], replicas: RedisNode[], perMaster: number): Promise<boolean> {
  const infos = await Promise.all(nodes.map((node) => node.admin.call('CLUSTER', 'INFO')));
  if (!infos.every((info) => String(info).includes('cluster_state:ok'))) return false;
  const maps = await Promise.all(nodes.map((node) => slotMap(node, perMaster)));
  const synced = await Promise.all(replicas.map(replicaInSync));
  return maps[0] !== undefined && new Set(maps).size === 1 && synced.every(Boolean);
}

export async function startRedisCluster({ masters = 3, replicasPerMaster = 0 } = {}): Promise<LocalRedisCluster> {
  // A short node timeout keeps failure detection (and thus failover tests) fast.
  const clusterArgs = '--cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000'.split(' ');
  const nodes = await startNodes(masters * (1 + replicasPerMaster), () => clusterArgs, true);
  const [primaries, replicas] = [nodes.slice(0, masters), nodes.slice(masters)];
  try {
    // Slots and distinct config epochs before meeting (as redis-cli does), so no epoch collision has to be resolved.
    await Promise.all(
      primaries.map(async (node, i) => {
        const [first, last] = [Math.floor((i * SLOTS) / masters), Math.floor(((i + 1) * SLOTS) / masters) - 1];
        await node.admin.call('CLUSTER', 'ADDSLOTSRANGE', first, last);
        await node.admin.call('CLUSTER', 'SET-CONFIG-EPOCH', i + 1);
      }),
    );
    await Promise.all(nodes.slice(1).map((node) => nodes[0].admin.call('CLUSTER', 'MEET', HOST, node.port)));
    await waitFor('every node to know every other node', () => allNodesKnown(nodes));
    await Promise.all(
      replicas.map(async (replica, i) => {
        const masterId = await primaries[Math.floor(i / replicasPerMaster)].admin.call('CLUSTER', 'MYID');
        await replica.admin.call('CLUSTER', 'REPLICATE', String(masterId));
      }),
    );
    await waitFor('cluster_state:ok and one slot map on every node', () =>
      clusterConverged(nodes, replicas, replicasPerMaster),
    );
  } catch (error) {
    await stopAll(nodes);
    throw error;
  }
  return { nodes: primaries.map(address), stop: () => stopAll(nodes) };
}

/** A sentinel rewrites its config file (state, discovered replicas), so it must be a writable file of its own. */
function writeSentinelConfig(dir: string, masterName: string, masterPort: number): string {
  const path = join(dir, 'sentinel.conf');
  const lines = [
    `sentinel monitor ${masterName} ${HOST} ${masterPort} 1`,
    `sentinel down-after-milliseconds ${masterName} 1000`,
    `sentinel failover-timeout ${masterName} 5000`,
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/**
 * A sentinel refreshes INFO every 10 s and demotes a returning old master only after 4 publish periods (8 s), so
 * replicas would be found, and a second failover be possible, only ~20 s later. SENTINEL DEBUG (Redis 7.0+, meant
 * for tests) shortens both; older servers keep the defaults and the waits are just slower.
 */
async function speedUpSentinel(sentinel: RedisNode): Promise<void> {
  await sentinel.admin.call('SENTINEL', 'DEBUG', 'INFO-PERIOD', 200, 'PUBLISH-PERIOD', 200).catch(() => undefined);
}

/** SENTINEL REPLICAS replies with one flat [field, value, ...] list per replica. */
function fields(flat: unknown): Map<string, string> {
  const list = flat as string[];
  return new Map(list.flatMap((value, i) => (i % 2 === 0 ? [[value, list[i + 1]] as const] : [])));
}

export async function startRedisSentinel({ masterName = 'mymaster' } = {}): Promise<LocalRedisSentinel> {
  const started: RedisNode[] = [];
  try {
    const master = await startNode(() => []);
    started.push(master);
    const replica = await startNode(() => ['--replicaof', HOST, String(master.port)]);
    started.push(replica);
    await waitFor('the replica to sync', () => replicaInSync(replica));
    const sentinel = await startNode((_port, dir) => [writeSentinelConfig(dir, masterName, master.port), '--sentinel']);
    started.push(sentinel);
    await speedUpSentinel(sentinel);

    const currentMaster = async (): Promise<RedisNodeAddress> => {
      const [host, port] = (await sentinel.admin.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName)) as string[];
      return { host, port: Number(port) };
    };
    // Without a replica the sentinel sees as connected and in sync, SENTINEL FAILOVER fails with NOGOODSLAVE.
    const waitForGoodReplica = () =>
      waitFor('the sentinel to see a healthy replica', async () => {
        const replicas = (await sentinel.admin.call('SENTINEL', 'REPLICAS', masterName)) as unknown[];
        return replicas
          .map(fields)
          .some((r) => !/down|disconnected/.test(r.get('flags') ?? '') && r.get('master-link-status') === 'ok');
      });
    await waitForGoodReplica();

    return {
      sentinels: [address(sentinel)],
      masterName,
      master: currentMaster,
      async failover() {
        const before = await currentMaster();
        await waitForGoodReplica();
        await sentinel.admin.call('SENTINEL', 'FAILOVER', masterName);
        // GET-MASTER-ADDR-BY-NAME names the promoted replica while the failover is still in progress (and a new
        // SENTINEL FAILOVER would fail with INPROG), so wait for SENTINEL MASTER to show it finished.
        await waitFor('the promoted replica to become master', async () => {
          const state = fields(await sentinel.admin.call('SENTINEL', 'MASTER', masterName));
          if (state.get('flags')?.includes('failover') || Number(state.get('port')) === before.port) return false;
          const promoted = [master, replica].find((node) => node.port === Number(state.get('port')));
          return promoted !== undefined && (await promoted.admin.role())[0] === 'master';
        });
      },
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}
