/**
 * HTTP benchmark: `npm run bench:http`. For Express and Fastify, one run each of the framework's
 * bare constant endpoint, the cheapest possible interceptor (what any interceptor costs), our
 * @CacheRoute endpoint on both hit paths (interceptor, edge), Nest's stock CacheInterceptor with a
 * Redis store, and the uncached Postgres-backed endpoint, all GET /products/42. Each server runs in
 * its own process; autocannon (50 connections, BENCH_HTTP_SECONDS ≤ 10 s per run, default 5, after
 * 1 s of warm-up) loads them from this one, in BENCH_HTTP_ROUNDS interleaved rounds (default 3),
 * so drift of the machine hits every endpoint alike. Writes bench/results/http.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres, startEmbeddedRedis } from '../../src/embedded/index.js';

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

function startServer(adapter: string, scenario: string, env: NodeJS.ProcessEnv): Promise<[ChildProcess, number]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, adapter, scenario], {
      env: { ...env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.once('exit', (code) => reject(new Error(`${adapter}/${scenario} server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve([child, Number(match[1])]);
    });
  });
}

async function load(url: string, seconds: number): Promise<Result> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** Runs in rounds, scenarios interleaved, each round after a warm-up; reports the median round. */
async function measureAll(adapter: string, scenarios: readonly Scenario[], env: NodeJS.ProcessEnv) {
  const servers = await Promise.all(scenarios.map((scenario) => startServer(adapter, scenario, env)));
  const runs = new Map<Scenario, Result[]>(scenarios.map((s) => [s, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, scenario] of scenarios.entries()) {
        const url = `http://127.0.0.1:${servers[i]![1]}/products/42`;
        await load(url, WARMUP_SECONDS);
        runs.get(scenario)!.push(await load(url, SECONDS));
      }
    }
  } finally {
    for (const [child] of servers) {
      child.removeAllListeners('exit');
      child.kill('SIGTERM');
    }
  }
  const median = (results: Result[]) => [...results].sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)]!;
  return new Map(scenarios.map((s) => [s, median(runs.get(s)!)]));
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
    for (const adapter of ADAPTERS) {
      if (ONLY && ONLY[0] !== adapter) continue;
      const scenarios = SCENARIOS.filter((s) => !ONLY || ONLY[1]?.split(',').includes(s));
      const measured = await measureAll(adapter, scenarios, env);
      for (const [scenario, r] of measured) {
        rows.push(
          `| ${adapter} | ${LABELS[scenario]} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.errors} |`,
        );
        console.log(rows.at(-1));
      }
      const results = Object.fromEntries(measured) as Record<Scenario, Result>;
      if (ONLY) continue;
      const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
      const target = adapter === 'express' ? 3 : 10;
      for (const ours of ['ours', 'edge'] as const) {
        const r = results[ours].rps;
        ratios.push(
          `| ${adapter} | ${LABELS[ours]} | ${x(r, results.bare.rps)} | ${x(r, results.stock.rps)} | ${x(r, results.uncached.rps)} (≥ ${target}×) |`,
        );
      }
    }
    const markdown = [
      `# HTTP benchmark`,
      ``,
      `${new Date().toISOString()}, Node ${process.version}, ${CONNECTIONS} connections, GET /products/42. Median of ${ROUNDS} rounds;`,
      `a round loads each endpoint for ${WARMUP_SECONDS} s (warm-up) then ${SECONDS} s, endpoints interleaved. Servers and the load`,
      `generator run on one machine, in separate processes.`,
      ``,
      `| adapter | endpoint | req/s | p50 ms | p99 ms | errors |`,
      `|---|---|---:|---:|---:|---:|`,
      ...rows,
      ``,
      `| adapter | ours | / bare (target ≥ 0.95×) | / stock interceptor (target > 1×) | / uncached (target) |`,
      `|---|---|---|---|---|`,
      ...ratios,
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
