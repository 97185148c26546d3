/**
 * `npm run bench:all`: every benchmark, one at a time (so none disturbs another), each with shorter
 * runs than its own default so that the whole completes within 15 minutes on 2 cores. Each entry
 * of PLAN sets environment defaults (a variable already set wins) and a wall-clock budget in
 * seconds (BENCH_BUDGET_<NAME>, e.g. BENCH_BUDGET_WRITE_BEHIND=200); a benchmark past its budget
 * is stopped and reported. Benchmarks found in dist-bench but not in PLAN run with BENCH_ROUNDS=3
 * and a 60 s budget. BENCH_ALL_ONLY=consistency,cdc runs a subset. Prints the wall time at the end;
 * exit code 1 if any benchmark failed or ran over its budget. Then `npm run bench:report`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNumber } from './harness/rounds.js';

interface Entry {
  name: string;
  /** Relative to dist-bench/bench; default `<name>.bench.js`. */
  file?: string;
  nodeArgs?: string[];
  env: Record<string, string>;
  budgetSeconds: number;
}

/**
 * Budgets sum to 13 min 45 s, leaving the build its 45 s. Most benchmarks take well under theirs:
 * see bench/README.md for a measured run.
 */
const PLAN: Entry[] = [
  { name: 'engine', env: { BENCH_ROUNDS: '3', BENCH_NET_MS: '1000' }, budgetSeconds: 150 },
  { name: 'l1-policy', env: { BENCH_ROUNDS: '100' }, budgetSeconds: 30 },
  { name: 'l1-memory', env: { BENCH_ROUNDS: '3' }, budgetSeconds: 45 },
  { name: 'consistency', env: { BENCH_ROUNDS: '3', BENCH_INVALIDATIONS: '500' }, budgetSeconds: 45 },
  { name: 'slow-redis', env: { BENCH_ROUNDS: '3', BENCH_SLOW_READS: '400' }, budgetSeconds: 60 },
  { name: 'warming', env: { BENCH_ROUNDS: '3', BENCH_WARMING_PERIODS: '4' }, budgetSeconds: 70 },
  { name: 'write-behind', env: { BENCH_ROUNDS: '3', BENCH_WB_WRITES: '5000' }, budgetSeconds: 60 },
  { name: 'cdc', env: { BENCH_ROUNDS: '3', BENCH_CDC_WRITES: '300', BENCH_CDC_BACKLOG: '20000' }, budgetSeconds: 75 },
  {
    name: 'http',
    file: 'http/http.bench.js',
    env: { BENCH_HTTP_SECONDS: '2', BENCH_HTTP_ROUNDS: '3' },
    budgetSeconds: 150,
  },
  {
    name: 'soak',
    nodeArgs: ['--expose-gc'],
    // Its key-bound check compares the last third of the run with the middle one: both must come
    // after tag-version counters (60 s lifetime) stop accumulating, hence 120 s, not less.
    env: { SOAK_SECONDS: '120', SOAK_OPERATIONS: '20000' },
    budgetSeconds: 140,
  },
];
const TOTAL_BUDGET_SECONDS = 15 * 60;
const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Where the benchmarks write, relative to the package (their working directory). */
const RESULTS = 'bench/results';

/** PLAN plus any *.bench.js compiled next to this file that PLAN does not list. */
function plan(): Entry[] {
  const found = readdirSync(HERE).filter((f) => f.endsWith('.bench.js'));
  const extra = found
    .map((f) => f.slice(0, -'.bench.js'.length))
    .filter((name) => !PLAN.some((e) => e.name === name))
    .map((name): Entry => ({ name, env: { BENCH_ROUNDS: '3' }, budgetSeconds: 60 }));
  for (const e of extra) console.warn(`bench:all: ${e.name} has no entry in bench/bench-all.ts: BENCH_ROUNDS=3, 60 s`);
  const only = process.env.BENCH_ALL_ONLY?.split(',').map((s) => s.trim());
  const all = [...PLAN, ...extra].filter((e) => existsSync(join(HERE, e.file ?? `${e.name}.bench.js`)));
  if (only) {
    const unknown = only.filter((name) => !all.some((e) => e.name === name));
    if (unknown.length) throw new Error(`BENCH_ALL_ONLY names no benchmark: ${unknown.join(', ')}`);
    return all.filter((e) => only.includes(e.name));
  }
  return all;
}

const budgetOf = (e: Entry) => envNumber(`BENCH_BUDGET_${e.name.toUpperCase().replaceAll('-', '_')}`, e.budgetSeconds);

interface Outcome {
  name: string;
  seconds: number;
  budget: number;
  status: 'ok' | 'failed' | 'over budget';
}

function run(e: Entry): Promise<Outcome> {
  const budget = budgetOf(e);
  const env = { ...process.env };
  for (const [key, value] of Object.entries(e.env)) env[key] ??= value;
  const shown = Object.keys(e.env).map((key) => `${key}=${env[key]}`);
  console.error(`\n=== ${e.name} (budget ${budget} s; ${shown.join(' ')})`);
  // A benchmark that fails or is stopped must not leave an older run's result to be reported as this one's.
  for (const ext of ['json', 'md']) rmSync(join(RESULTS, `${e.name}.${ext}`), { force: true });
  const started = performance.now();
  // Its own process group, so that a benchmark over budget goes with the servers it started.
  const child = spawn(process.execPath, [...(e.nodeArgs ?? []), join(HERE, e.file ?? `${e.name}.bench.js`)], {
    env,
    stdio: 'inherit',
    detached: true,
  });
  let overBudget = false;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    overBudget = true;
    console.error(`bench:all: ${e.name} ran over its budget of ${budget} s: stopping it`);
    kill('SIGTERM');
    setTimeout(() => kill('SIGKILL'), 5000).unref();
  }, budget * 1000);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      resolve({ name: e.name, seconds, budget, status: overBudget ? 'over budget' : code === 0 ? 'ok' : 'failed' });
    });
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadStart = loadavg();
  const entries = plan();
  const sum = entries.reduce((n, e) => n + budgetOf(e), 0);
  if (sum > TOTAL_BUDGET_SECONDS) console.warn(`bench:all: budgets sum to ${sum} s, over ${TOTAL_BUDGET_SECONDS} s`);
  const outcomes: Outcome[] = [];
  for (const e of entries) outcomes.push(await run(e));
  const wall = (performance.now() - started) / 1000;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  console.log('\n| benchmark | seconds | budget s | status |\n|---|---:|---:|---|');
  for (const o of outcomes) console.log(`| ${o.name} | ${o.seconds.toFixed(1)} | ${o.budget} | ${o.status} |`);
  console.log(
    `\nbench:all: wall time ${(wall / 60).toFixed(1)} min (${wall.toFixed(0)} s, build not included); ` +
      `load average ${load(loadStart)} at start, ${load(loadavg())} at end. Next: npm run bench:report`,
  );
  if (outcomes.some((o) => o.status !== 'ok')) process.exitCode = 1;
}

await main();
