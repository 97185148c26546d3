/**
 * HTTP benchmark: `npm run bench:http`. For Express and Fastify, one run each of the framework's
 * bare constant endpoint, the cheapest possible interceptor (what any interceptor costs), our
 * @CacheRoute endpoint on both hit paths (interceptor, edge), Nest's stock CacheInterceptor with a
 * Redis store, and the uncached Postgres-backed endpoint, all GET /products/42. Each server runs in
 * its own process; autocannon (50 connections, BENCH_HTTP_SECONDS ≤ 10 s per run, default 5, after
 * 1 s of warm-up) loads them from this one, in BENCH_HTTP_ROUNDS interleaved, rotated rounds
 * (default 3), so drift of the machine hits every endpoint alike. Reports the median with the
 * spread (min–max) of the rounds, the server's CPU time per request (from /proc: steadier than
 * req/s on a loaded machine), the target ratios computed within each round, and how many of our
 * answers were not L1 hits. Writes bench/results/http.json and .md (bench/harness).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres, startEmbeddedRedis } from '@internal/dev-services';
import { captureEnvironment } from '../harness/environment.js';
import { formatRatioSpread, writeResult, type MeasuredTable } from '../harness/report.js';
import { envNumber, ratioSpread, rotation, toRows } from '../harness/rounds.js';

const SECONDS = Math.min(10, envNumber('BENCH_HTTP_SECONDS', 5));
const WARMUP_SECONDS = 1;
const ROUNDS = envNumber('BENCH_HTTP_ROUNDS', 3);
const CONNECTIONS = 50;
const ADAPTERS = ['express', 'fastify'] as const;
const SCENARIOS = ['bare', 'intercepted', 'ours', 'edge', 'stock', 'uncached'] as const;
/** BENCH_HTTP_ONLY=fastify:ours,intercepted measures a subset while developing (no ratio table). */
const ONLY = process.env.BENCH_HTTP_ONLY?.split(':');
type Scenario = (typeof SCENARIOS)[number];
const LABELS: Record<Scenario, string> = {
  bare: 'bare constant endpoint (ceiling)',
  intercepted: 'any interceptor: returns a constant (reference)',
  ours: 'ours: @CacheRoute (L1 hit, interceptor)',
  edge: 'ours: @CacheRoute edge (L1 hit, before routing)',
  stock: 'Nest CacheInterceptor + Redis store',
  uncached: 'uncached Postgres SELECT by id',
};
const SERVER = fileURLToPath(new URL('./http-bench.server.js', import.meta.url));

/** One measured load (a type, not an interface: it is a harness metric record). */
type Result = {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU (user + system) per request, µs; NaN where /proc is missing. */
  cpu: number;
};
/** Targets: ratio of two endpoints' req/s within one round (Express, Fastify). */
const TARGETS: readonly (readonly [Scenario, Scenario, number, number])[] = [
  ['ours', 'intercepted', 0.95, 0.95],
  ['ours', 'stock', 1.2, 1.2],
  ['edge', 'bare', 0.98, 0.98],
  ['ours', 'uncached', 3, 10],
  ['edge', 'uncached', 3, 10],
];

/** CPU seconds (user + system) the process used so far. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks, USER_HZ = 100 on Linux
  } catch {
    return NaN;
  }
}

async function seed(databaseUrl: string): Promise<void> {
  const db = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
  await db.query(`CREATE TABLE IF NOT EXISTS bench_products (
    id int PRIMARY KEY, sku text NOT NULL, name text NOT NULL, description text NOT NULL,
    price numeric(10,2) NOT NULL, active boolean NOT NULL)`);
  await db.query(`INSERT INTO bench_products
    SELECT i, 'SKU-' || lpad(i::text, 6, '0'), 'Product ' || i, 'Demo product number ' || i || ' of the sample catalog.', 12.50, true
    FROM generate_series(1, 1000) AS i ON CONFLICT (id) DO NOTHING`);
  await db.destroy();
}

/**
 * What each endpoint's servers printed on exit, their HTTP cache counters (ours and edge only),
 * summed over their processes (one per round).
 */
const served = new Map<string, Record<string, number>>();

function startServer(adapter: string, scenario: string, env: NodeJS.ProcessEnv): Promise<[ChildProcess, number]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, adapter, scenario], {
      env: { ...env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.once('exit', (code) => reject(new Error(`${adapter}/${scenario} server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      const match = /listening (\d+)/.exec(text);
      if (match) resolve([child, Number(match[1])]);
      const stats = /served (.*)/.exec(text);
      if (stats) addServed(`${adapter}/${scenario}`, JSON.parse(stats[1]!) as Record<string, number>);
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 5000).unref())]);
}

async function load(url: string, seconds: number, pid?: number): Promise<Result> {
  const before = cpuSeconds(pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  const cpu = ((cpuSeconds(pid) - before) / result.requests.total) * 1e6;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpu,
  };
}

function addServed(server: string, counts: Record<string, number>): void {
  const sum = served.get(server) ?? {};
  for (const [name, count] of Object.entries(counts)) sum[name] = (sum[name] ?? 0) + (count ?? 0);
  served.set(server, sum);
}

/**
 * The endpoints of one adapter in interleaved, rotated rounds; a warm-up before every measured
 * load. Every round starts fresh server processes: one process can run a whole run 15 % slower
 * or faster than the next (how V8 happened to optimize it), and with one process per endpoint
 * for all rounds that luck was in every round of the case and the median could not see it.
 */
async function measureAll(adapter: string, scenarios: readonly Scenario[], env: NodeJS.ProcessEnv) {
  const runs = new Map<Scenario, Result[]>(scenarios.map((scenario) => [scenario, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const started = await Promise.all(scenarios.map((scenario) => startServer(adapter, scenario, env)));
    const servers = new Map(scenarios.map((scenario, i) => [scenario, started[i]!]));
    try {
      for (const scenario of rotation(scenarios, round)) {
        const [child, port] = servers.get(scenario)!;
        const url = `http://127.0.0.1:${port}/products/42`;
        await load(url, WARMUP_SECONDS);
        runs.get(scenario)!.push(await load(url, SECONDS, child.pid));
        console.error(`round ${round + 1}/${ROUNDS}: ${adapter} ${scenario}`);
      }
    } finally {
      await Promise.all(started.map(([child]) => stopServer(child)));
    }
  }
  return runs;
}

/** Each target ratio computed within each round (drift cancels), median and spread. */
function targetRows(adapter: (typeof ADAPTERS)[number], runs: Map<Scenario, Result[]>): string[][] {
  const rows: string[][] = [];
  for (const [ours, peer, onExpress, onFastify] of TARGETS) {
    const goal = adapter === 'express' ? onExpress : onFastify;
    const a = runs.get(ours);
    const b = runs.get(peer);
    if (!a || !b) continue;
    const rps = ratioSpread(
      a.map((r) => r.rps),
      b.map((r) => r.rps),
    );
    // By CPU: the peer's CPU per request over ours, so > 1 means we are cheaper, like the req/s ratio.
    const cpu = ratioSpread(
      b.map((r) => r.cpu),
      a.map((r) => r.cpu),
    );
    // The bare endpoint in our place: routing without any interceptor. The edge answers before
    // routing, so it is no bound there.
    const bare = runs.get('bare');
    const ceiling =
      ours === 'ours' && bare
        ? formatRatioSpread(
            ratioSpread(
              bare.map((r) => r.rps),
              b.map((r) => r.rps),
            ),
          )
        : '—';
    const verdict = rps.median >= goal ? 'met' : '**missed**';
    rows.push([
      adapter,
      `${ours} / ${peer}`,
      `≥ ${goal}×`,
      formatRatioSpread(rps),
      formatRatioSpread(cpu),
      ceiling,
      verdict,
    ]);
  }
  return rows;
}

async function main(): Promise<void> {
  const finish = captureEnvironment();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-pg-'));
  const redis = process.env.BENCH_REDIS_URL ? undefined : await startEmbeddedRedis();
  const pg = process.env.BENCH_DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir, persistent: false });
  const env = {
    ...process.env,
    BENCH_REDIS_URL: process.env.BENCH_REDIS_URL ?? redis!.url,
    BENCH_DATABASE_URL: process.env.BENCH_DATABASE_URL ?? pg!.url,
  };
  try {
    await seed(env.BENCH_DATABASE_URL);
    const tables: MeasuredTable[] = [];
    const targets: string[][] = [];
    for (const adapter of ADAPTERS) {
      if (ONLY && ONLY[0] !== adapter) continue;
      const scenarios = SCENARIOS.filter((s) => !ONLY || ONLY[1]?.split(',').includes(s));
      const runs = await measureAll(adapter, scenarios, env);
      tables.push({
        kind: 'measured',
        caption: `${adapter === 'express' ? 'Express' : 'Fastify'}:`,
        caseLabel: 'endpoint',
        metrics: [
          { key: 'rps', label: 'req/s' },
          { key: 'cpu', label: 'server CPU µs/req', decimals: 1 },
          { key: 'p50', label: 'p50 ms' },
          { key: 'p99', label: 'p99 ms' },
          { key: 'errors', label: 'errors' },
        ],
        baselines: scenarios.includes('bare') ? [LABELS.bare] : [],
        rows: toRows(runs).map((row) => ({ ...row, name: LABELS[row.name as Scenario] })),
      });
      targets.push(...targetRows(adapter, runs));
    }
    writeResult({
      schema: 1,
      name: 'http',
      title: 'HTTP benchmark',
      description: [
        `GET /products/42 with ${CONNECTIONS} connections (autocannon). A round starts a fresh server process per endpoint (\`NODE_ENV=production\`), then loads each for ${WARMUP_SECONDS} s (warm-up) and ${SECONDS} s, the endpoints of an adapter interleaved and rotated. Servers and the load generator run on one machine. Server CPU per request comes from /proc: steadier than req/s on a loaded machine.`,
      ],
      environment: finish(),
      rounds: ROUNDS,
      tables: [
        ...tables,
        {
          kind: 'text',
          caption:
            'Targets (issue 19): each ratio of req/s taken within one round, then the median (min–max) of the rounds; "by CPU" is the peer\'s CPU per request over ours (the same ratio, from CPU time); "ceiling (bare / peer)" is the same ratio for the endpoint with no interceptor at all: Nest\'s routing cost with none of an interceptor\'s. A cached answer may pass it only by what the bare endpoint spends serializing its object per request (ours sends stored bytes); a target well above it is out of reach of any interceptor, and only the edge, which answers before routing, gets there.',
          header: ['adapter', 'ratio', 'target', 'req/s', 'by CPU', 'ceiling (bare / peer)', ''],
          rows: targets,
        },
        {
          kind: 'text',
          caption:
            'What our servers answered over the whole run, summed over their processes (every request should be an L1 hit but the first of each process):',
          header: ['server', 'counters'],
          rows: [...served].map(([server, counts]) => [server, JSON.stringify(counts)]),
        },
      ],
      notes: [],
    });
  } finally {
    await redis?.stop();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
