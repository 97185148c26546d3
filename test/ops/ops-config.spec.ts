import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS } from 'nestjs-layered-cache/metrics';

const promtool = (...args: string[]) => spawnSync('promtool', args, { encoding: 'utf8' });

describe('docker-compose monitoring config', () => {
  it('has a Prometheus config promtool accepts', () => {
    // promtool checks that the scrape token's file exists: compose mounts it as a secret at run time.
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
    writeFileSync(join(dir, 'metrics_token'), 'a-token-for-promtool');
    const config = readFileSync('ops/prometheus/prometheus.yml', 'utf8');
    expect(config).toContain('/run/secrets/metrics_token');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      config.replaceAll('/run/secrets/metrics_token', join(dir, 'metrics_token')),
    );
    const result = promtool('check', 'config', join(dir, 'prometheus.yml'));
    expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
  });

  it('has a Grafana dashboard whose queries parse and use metrics the app exports', () => {
    const dashboard = JSON.parse(readFileSync('ops/grafana/dashboards/cache.json', 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    // Recording rules are the one place promtool parses standalone PromQL.
    const rules = `groups:\n  - name: dashboard\n    rules:\n${exprs
      .map((expr, i) => `      - record: dashboard:query${i}\n        expr: ${JSON.stringify(expr)}\n`)
      .join('')}`;
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'rules.yml');
    writeFileSync(file, rules);
    const result = promtool('check', 'rules', file);
    expect(result.stdout + result.stderr).toMatch(new RegExp(`SUCCESS: ${exprs.length} rules found`));
    const known = new Set<string>(Object.values(METRICS));
    const used = exprs
      .flatMap((e) => e.match(/cache_[a-z0-9_]+/g) ?? [])
      .map((m) => m.replace(/_(bucket|sum|count)$/, ''));
    expect(used.filter((m) => !known.has(m) && !known.has(m.replace(/_total$/, '')))).toEqual([]);
  });
});
