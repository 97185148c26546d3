/**
 * A benchmark's result as data (what `bench/results/<name>.json` holds), its Markdown rendering,
 * and the writer. Rendering is pure: the docs page is re-rendered from the same JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Environment } from './environment.js';
import { spread, type Spread } from './rounds.js';

export interface Metric {
  key: string;
  label: string;
  /** Digits after the decimal point (default 0). */
  decimals?: number;
}

/**
 * Cases measured over rounds. The primary metric gets a "min–max" column and one ratio column per
 * baseline (median of the row ÷ median of the baseline row); other metrics show their median and,
 * when the rounds differ, "(min–max)" in the cell.
 */
export interface MeasuredTable {
  kind: 'measured';
  caption: string;
  caseLabel: string;
  metrics: Metric[];
  /** Key of the primary metric (default: the first). */
  primary?: string;
  /** Names of rows to divide by: one "× <name>" column each. */
  baselines?: string[];
  rows: { name: string; values: Record<string, number[]> }[];
}

/** Anything that is not a number per round (verdicts, settings). */
export interface TextTable {
  kind: 'text';
  caption: string;
  header: string[];
  rows: string[][];
}

export interface BenchResult {
  schema: 1;
  /** File name: bench/results/<name>.json and .md. */
  name: string;
  title: string;
  /** Paragraphs under the title: what is measured and how. */
  description: string[];
  environment: Environment;
  rounds: number;
  tables: (MeasuredTable | TextTable)[];
  /** Paragraphs after the tables (targets, verdicts). */
  notes: string[];
}

export const formatNumber = (value: number, decimals = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

/** 2 decimals from 0.1× up (0 from 100×), 2 significant digits below: 0.0053×, not 0.00×. */
export const formatRatio = (ratio: number): string =>
  `${ratio >= 100 ? ratio.toFixed(0) : ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)}×`;

/** A spread of ratios: `0.92× (0.90–0.94)`, or one ratio when every round agreed. */
export const formatRatioSpread = ({ median, min, max }: Spread): string =>
  min === max ? formatRatio(median) : `${formatRatio(median)} (${formatRatio(min).slice(0, -1)}–${formatRatio(max)})`;

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;

function measuredTable(table: MeasuredTable): string[] {
  const primary = table.metrics.find((m) => m.key === (table.primary ?? table.metrics[0]?.key));
  if (!primary) throw new Error(`table "${table.caption}": primary metric ${table.primary} is not among its metrics`);
  const others = table.metrics.filter((m) => m !== primary);
  const baselines = table.baselines ?? [];
  const medianOf = (name: string) => {
    const row = table.rows.find((r) => r.name === name);
    if (!row) throw new Error(`table "${table.caption}": baseline "${name}" is not one of its rows`);
    return spread(row.values[primary.key]!).median;
  };
  const baselineMedians = baselines.map(medianOf);
  const header = [
    table.caseLabel,
    `${primary.label} (median)`,
    'min–max',
    ...baselines.map((b) => `× ${b}`),
    ...others.map((m) => m.label),
  ];
  const rows = table.rows.map((row) => {
    const values = (key: string) => {
      const v = row.values[key];
      if (!v?.length) throw new Error(`table "${table.caption}", row "${row.name}": no values for ${key}`);
      return spread(v);
    };
    const p = values(primary.key);
    const d = primary.decimals;
    return [
      row.name,
      formatNumber(p.median, d),
      `${formatNumber(p.min, d)}–${formatNumber(p.max, d)}`,
      ...baselineMedians.map((b) => (b === 0 ? '—' : formatRatio(p.median / b))),
      ...others.map((m) => {
        const s = values(m.key);
        const range = s.min === s.max ? '' : ` (${formatNumber(s.min, m.decimals)}–${formatNumber(s.max, m.decimals)})`;
        return `${formatNumber(s.median, m.decimals)}${range}`;
      }),
    ];
  });
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(header), `|${align.join('|')}|`, ...rows.map(line)];
}

function textTable(table: TextTable): string[] {
  return [line(table.header), `|${table.header.map(() => '---').join('|')}|`, ...table.rows.map(line)];
}

const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');

/** One line: when, on what, at which commit, under which load. */
export function environmentLine(e: Environment): string {
  const commit =
    e.commit === 'unknown'
      ? 'commit unknown'
      : `commit ${e.commit.slice(0, 10)}${e.dirty ? ' (with uncommitted changes)' : ''}`;
  return (
    `Run ${e.date.slice(0, 16).replace('T', ' ')} UTC, ${commit}, Node ${e.node} (${e.platform}), ` +
    `${e.cpuCount} × ${e.cpuModel}; load average (1/5/15 min) ${load(e.loadStart)} at start, ${load(e.loadEnd)} at end.`
  );
}

/** The result as Markdown; `level` is the heading level of its title (2 inside the docs page). */
export function renderResult(result: BenchResult, level = 1): string {
  const h = '#'.repeat(level);
  const out = [
    `${h} ${result.title}`,
    '',
    ...result.description.flatMap((p) => [p, '']),
    environmentLine(result.environment),
    '',
  ];
  if (result.rounds > 1) {
    out.push(
      `Median of ${result.rounds} rounds; compared cases run interleaved, their order rotated each round; min–max is the spread of the rounds.`,
      '',
    );
  }
  for (const table of result.tables) {
    if (table.caption) out.push(table.caption, '');
    out.push(...(table.kind === 'measured' ? measuredTable(table) : textTable(table)), '');
  }
  out.push(...result.notes.flatMap((p) => [p, '']));
  return out.join('\n');
}

/** Writes bench/results/<name>.json and .md (relative to the package, the scripts' cwd) and prints the table. */
export function writeResult(result: BenchResult, dir = 'bench/results'): void {
  const markdown = renderResult(result);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${result.name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${dir}/${result.name}.md`, markdown);
  console.log(markdown);
}
