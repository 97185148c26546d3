/**
 * `npm run bench:report`: assembles docs/benchmarks.md from bench/results/ — every `<name>.json`
 * the harness wrote, and, for a benchmark not on the harness yet, its `<name>.md` as written.
 * Writes the data it rendered from to docs/benchmarks.data.json next to the page, so the page can
 * be re-rendered and checked (test/bench/benchmarks-page.spec.ts). Run from the package directory.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  renderBenchmarksPage,
  sortResults,
  type BenchmarksData,
  type LegacyResult,
} from './harness/benchmarks-page.js';
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
  const results: (BenchResult | LegacyResult)[] = files.filter((f) => f.endsWith('.json')).map(readResult);
  for (const file of files.filter((f) => f.endsWith('.md'))) {
    const name = file.slice(0, -'.md'.length);
    if (!results.some((r) => r.name === name)) {
      results.push({ schema: 1, name, markdown: readFileSync(`${RESULTS}/${file}`, 'utf8') });
    }
  }
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
