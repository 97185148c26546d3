/**
 * docs/benchmarks.md is generated (`npm run bench:report`) from docs/benchmarks.data.json, the
 * results of one benchmark run. This test re-renders the committed data and compares: a number
 * edited by hand in the page, or a page not regenerated after the data changed, fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BANNER,
  pageDifferences,
  renderBenchmarksPage,
  type BenchmarksData,
} from '../../bench/harness/benchmarks-page.js';
import type { BenchResult } from '../../bench/harness/report.js';

const docs = join(import.meta.dirname, '../../docs');

const environment = {
  date: '2026-11-30T01:02:03.000Z',
  node: 'v20.20.2',
  platform: 'linux-x64',
  cpuModel: 'Test CPU',
  cpuCount: 2,
  loadStart: [1.5, 1.25, 1],
  loadEnd: [2.5, 1.5, 1.1],
  commit: '0123456789abcdef0123456789abcdef01234567',
  dirty: false,
};

const fixture = (name: string, title: string): BenchResult => ({
  schema: 1,
  name,
  title,
  description: ['What it measures.'],
  environment,
  rounds: 3,
  tables: [
    {
      kind: 'measured',
      caption: 'Hits:',
      caseLabel: 'case',
      metrics: [
        { key: 'ops', label: 'ops/s' },
        { key: 'p99', label: 'p99 ms', decimals: 1 },
      ],
      baselines: ['peer'],
      rows: [
        { name: 'peer', values: { ops: [1000, 900, 1100], p99: [2, 2, 2] } },
        { name: 'ours', values: { ops: [2100, 2000, 1800], p99: [1, 1.5, 1.2] } },
      ],
    },
  ],
  notes: ['A target.'],
});

const data: BenchmarksData = {
  schema: 1,
  results: [fixture('warming', 'Warming'), fixture('engine', 'Engine benchmark')],
};

describe('docs/benchmarks.md', () => {
  it('is exactly what its committed data (docs/benchmarks.data.json) renders', () => {
    const committed = JSON.parse(readFileSync(join(docs, 'benchmarks.data.json'), 'utf8')) as BenchmarksData;
    const page = readFileSync(join(docs, 'benchmarks.md'), 'utf8');
    expect(pageDifferences(page, committed), 'regenerate it: npm run bench:report -w nestjs-layered-cache').toEqual([]);
  });
});

describe('the benchmarks page generator', () => {
  const page = renderBenchmarksPage(data);

  it('renders the banner, the environment of each run, the median, spread and ratio to the baseline', () => {
    expect(page.startsWith(`${BANNER}\n`)).toBe(true);
    expect(page).toContain(
      '| [Warming](#warming) | 2026-11-30 01:02 | 0123456789 | v20.20.2 | 2 × Test CPU | 1.50 → 2.50 | 3 |',
    );
    expect(page).toContain(
      'Run 2026-11-30 01:02 UTC, commit 0123456789, Node v20.20.2 (linux-x64), 2 × Test CPU; load average (1/5/15 min) 1.50 / 1.25 / 1.00 at start, 2.50 / 1.50 / 1.10 at end.',
    );
    expect(page).toContain(
      'Machine load (1-minute load average) during these runs: 1.50 to 2.50, more than its 2 CPUs could run: the machine was shared and busy',
    );
    expect(page).toContain('| case | ops/s (median) | min–max | × peer | p99 ms |');
    expect(page).toContain('| peer | 1,000 | 900–1,100 | 1.00× | 2.0 |');
    expect(page).toContain('| ours | 2,000 | 1,800–2,100 | 2.00× | 1.2 (1.0–1.5) |');
  });

  it('orders the benchmarks (the page order, not the order of the data) under the page title', () => {
    expect(page.indexOf('## Engine benchmark')).toBeGreaterThan(0);
    expect(page.indexOf('## Engine benchmark')).toBeLessThan(page.indexOf('## Warming'));
  });

  it('reports a number edited by hand, and nothing for the page as rendered', () => {
    expect(pageDifferences(page, data)).toEqual([]);
    const edited = page.replace('| ours | 2,000 |', '| ours | 2,500 |');
    expect(pageDifferences(edited, data)).toEqual([
      expect.stringMatching(/^line \d+: found "\| ours \| 2,500 \|.*rendered "\| ours \| 2,000 \|/),
    ]);
  });
});
