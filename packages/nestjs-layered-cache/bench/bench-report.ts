/**
 * `npm run bench:report`: assembles docs/benchmarks.md from bench/results/ — every `<name>.json`
 * the harness wrote (the `<name>.md` beside it is the same result rendered alone).
 * Writes the data it rendered from to docs/benchmarks.data.json next to the page, so the page can
 * be re-rendered and checked (test/bench/benchmarks-page.spec.ts). Run from the package directory.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { renderBenchmarksPage, sortResults, type BenchmarksData } from './harness/benchmarks-page.js';
import type { BenchResult } from './harness/report.js';

const RESULTS = process.env.BENCH_RESULTS_DIR ?? 'bench/results';
const PAGE = 'docs/benchmarks.md';
const DATA = 'docs/benchmarks.data.json';

function readResult(file: string): BenchResult {
  const parsed = JSON.parse(readFileSync(`${RESULTS}/${file}`, 'utf8')) as Partial<BenchResult>;
  if (parsed.schema !== 1 || typeof parsed.name !== 'string' || !parsed.environment || !Array.isArray(parsed.tables)) {
    throw new Error(`${RESULTS}/${file} is not a harness result (schema 1): re-run its benchmark`);
  }
  return parsed as BenchResult;
}

function main(): void {
  if (!existsSync(RESULTS)) throw new Error(`${RESULTS} does not exist: run the benchmarks first (npm run bench:all)`);
  const files = readdirSync(RESULTS);
  const results = files.filter((f) => f.endsWith('.json')).map(readResult);
  const stray = files.filter((f) => f.endsWith('.md') && !files.includes(`${f.slice(0, -'.md'.length)}.json`));
  if (stray.length) console.warn(`bench:report: ignored ${stray.join(', ')} (no .json beside it: an old run?)`);
  if (results.length === 0)
    throw new Error(`${RESULTS} holds no results: run the benchmarks first (npm run bench:all)`);
  const data: BenchmarksData = { schema: 1, results: sortResults(results) };
  const commits = new Set(data.results.flatMap((r) => ('environment' in r ? [r.environment.commit] : [])));
  if (commits.size > 1) console.warn(`bench:report: results from ${commits.size} commits (${[...commits].join(', ')})`);
  writeFileSync(DATA, `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(PAGE, renderBenchmarksPage(data));
  console.log(`bench:report: ${PAGE} from ${data.results.map((r) => r.name).join(', ')}`);
}

main();
