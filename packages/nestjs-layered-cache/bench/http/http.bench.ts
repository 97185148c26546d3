/**
 * HTTP benchmark: `npm run bench:http`. For Express and Fastify, one run each of the framework's
 * bare constant endpoint, the cheapest possible interceptor (what any interceptor costs), our
 * @CacheRoute endpoint on both hit paths (interceptor, edge), Nest's stock CacheInterceptor with a
 * Redis store, and the uncached Postgres-backed endpoint, all GET /products/42. Each server runs in
 * its own process; autocannon (50 connections, BENCH_HTTP_SECONDS ≤ 10 s per run, default 5, after
 * 1 s of warm-up) loads them from this one, in BENCH_HTTP_ROUNDS interleaved rounds (default 3),
 * so drift of the machine hits every endpoint alike. Reports the median round with the spread
 * (min–max) of the rounds, the server's CPU time per request (from /proc: steadier than req/s on
 * a loaded machine), the target ratios computed within each round, the load average, and how many
 * of our answers were not L1 hits. Writes bench/results/http.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres, startEmbeddedRedis } from '@internal/dev-services';

const SECONDS = Math.min(10, Number(process.env.BENCH_HTTP_SECONDS ?? 5));
const WARMUP_SECONDS = 1;
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
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

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU (user + system) per request, µs; NaN where /proc is missing. */
  cpu: number;
}
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

/** What a server printed on exit: its HTTP cache counters (ours and edge only). */
const served = new Map<string, string>();

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
      if (stats) served.set(`${adapter}/${scenario}`, stats[1]!);
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const spread = (values: number[], digits: number) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

/** Runs in rounds, scenarios interleaved, each round after a warm-up; every round's result. */
async function measureAll(adapter: string, scenarios: readonly Scenario[], env: NodeJS.ProcessEnv) {
  const servers = await Promise.all(scenarios.map((scenario) => startServer(adapter, scenario, env)));
  const runs = new Map<Scenario, Result[]>(scenarios.map((s) => [s, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, scenario] of scenarios.entries()) {
        const [child, port] = servers[i]!;
        const url = `http://127.0.0.1:${port}/products/42`;
        await load(url, WARMUP_SECONDS);
        runs.get(scenario)!.push(await load(url, SECONDS, child.pid));
      }
      console.log(`${adapter} round ${round + 1}/${ROUNDS} done, load average ${loadavg()[0]!.toFixed(1)}`);
    }
  } finally {
    await Promise.all(servers.map(([child]) => stopServer(child)));
  }
  return runs;
}

/** One table row: median round, spread of the rounds, CPU per request. */
function row(adapter: string, scenario: Scenario, results: Result[]): string {
  const rps = results.map((r) => r.rps);
  const mid = [...results].sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)]!;
  const cpu = results.map((r) => r.cpu);
  return `| ${adapter} | ${LABELS[scenario]} | ${Math.round(median(rps)).toLocaleString('en')} | ${spread(
    rps.map((r) => r / 1000),
    1,
  )}k | ${median(cpu).toFixed(1)} (${spread(cpu, 1)}) | ${mid.p50} | ${mid.p99} | ${results.reduce((n, r) => n + r.errors, 0)} |`;
}

/** Each target ratio computed within each round (drift cancels), median and spread. */
function ratioRows(adapter: string, runs: Map<Scenario, Result[]>): string[] {
  const rows: string[] = [];
  for (const [ours, peer, onExpress, onFastify] of TARGETS) {
    const target = adapter === 'express' ? onExpress : onFastify;
    const a = runs.get(ours);
    const b = runs.get(peer);
    if (!a || !b) continue;
    const ratios = a.map((r, i) => r.rps / b[i]!.rps);
    const cpuRatios = a.map((r, i) => b[i]!.cpu / r.cpu);
    const verdict = median(ratios) >= target ? 'met' : 'missed';
    rows.push(
      `| ${adapter} | ${ours} / ${peer} | ≥ ${target}× | ${median(ratios).toFixed(2)}× (${spread(ratios, 2)}) | ${median(cpuRatios).toFixed(2)}× | ${verdict} |`,
    );
  }
  return rows;
}

async function main(): Promise<void> {
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
    const rows: string[] = [];
    const ratios: string[] = [];
    const loads: number[] = [loadavg()[0]!];
    for (const adapter of ADAPTERS) {
      if (ONLY && ONLY[0] !== adapter) continue;
      const scenarios = SCENARIOS.filter((s) => !ONLY || ONLY[1]?.split(',').includes(s));
      const runs = await measureAll(adapter, scenarios, env);
      loads.push(loadavg()[0]!);
      for (const [scenario, results] of runs) {
        rows.push(row(adapter, scenario, results));
        console.log(rows.at(-1));
      }
      ratios.push(...ratioRows(adapter, runs));
    }
    const answers = [...served].map(([server, stats]) => `- ${server}: ${stats}`);
    const markdown = [
      `# HTTP benchmark`,
      ``,
      `${new Date().toISOString()}, Node ${process.version}, ${CONNECTIONS} connections, GET /products/42. Median of ${ROUNDS} rounds`,
      `(spread: min–max of the rounds); a round loads each endpoint for ${WARMUP_SECONDS} s (warm-up) then ${SECONDS} s, endpoints`,
      `interleaved. Servers and the load generator run on one machine, in separate processes. Load average`,
      `(1 min) at the start and after each adapter: ${loads.map((l) => l.toFixed(1)).join(', ')}.`,
      ``,
      `| adapter | endpoint | req/s | spread | server CPU µs/req | p50 ms | p99 ms | errors |`,
      `|---|---|---:|---:|---:|---:|---:|---:|`,
      ...rows,
      ``,
      `Targets (issue 19), each ratio of req/s taken within one round, then the median and spread of the`,
      `rounds; "by CPU" is the peer's CPU per request over ours (the same ratio, from CPU time).`,
      ``,
      `| adapter | ratio | target | req/s | by CPU | |`,
      `|---|---|---|---|---|---|`,
      ...ratios,
      ``,
      `What our servers answered over the whole run (every request should be an L1 hit after the first):`,
      ``,
      ...answers,
      ``,
    ].join('\n');
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/http.md', markdown);
    console.log(`\n${markdown}`);
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
