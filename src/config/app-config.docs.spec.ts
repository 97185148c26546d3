/**
 * The README's Configuration section and `.env.example` promise to list every variable the app
 * reads, with its default. This reads both files and checks them against the schema: a variable
 * added to the schema and not documented, a documented one the app does not read, or a default
 * that drifted, fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_CONFIG_VARIABLES, loadAppConfig } from './app-config.js';

const root = join(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const envExample = readFileSync(join(root, '.env.example'), 'utf8');

/** The Configuration section: from its heading to the next. */
const section = /^## Configuration\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
/** Rows of its table: the variables of the first cell and the default cell. */
const rows = section
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) => {
    const [names = '', defaults = ''] = line.split('|').slice(1, 3);
    return { names: [...names.matchAll(/`([A-Z][A-Z0-9_<>]*)`/g)].map((m) => m[1]!), defaults: defaults.trim() };
  });
/** `NAME=value` lines, commented out (`# NAME=`) or not. */
const exampleLines = [...envExample.matchAll(/^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => ({
  name: m[2]!,
  commented: m[1] !== undefined,
  value: m[3]!,
}));
/** Variables the README documents that this schema does not read, on purpose. */
const ELSEWHERE = /^(TEST_|CACHE_TTL_)/;
const defaults = loadAppConfig({}) as Record<string, unknown>;

describe('the configuration docs', () => {
  it('name every variable the app reads, in the README and in .env.example', () => {
    const inReadme = new Set([...section.matchAll(/`([A-Z][A-Z0-9_]*)[`=]/g)].map((m) => m[1]!));
    const inExample = new Set(exampleLines.map((l) => l.name));
    expect(APP_CONFIG_VARIABLES.filter((name) => !inReadme.has(name))).toEqual([]);
    expect(APP_CONFIG_VARIABLES.filter((name) => !inExample.has(name))).toEqual([]);
  });

  it('document no variable the app does not read', () => {
    const documented = [...rows.flatMap((r) => r.names), ...exampleLines.map((l) => l.name)];
    const unknown = documented.filter((name) => !ELSEWHERE.test(name) && !APP_CONFIG_VARIABLES.includes(name));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it('show the defaults the app applies', () => {
    const drift: string[] = [];
    for (const { names, defaults: cell } of rows) {
      const parts = cell.split(' / ');
      names.forEach((name, i) => {
        const part = parts.length === names.length ? parts[i]! : cell;
        // A number, or a value in backticks; "embedded", "—", "`$DATA_DIR/documents`": described, not a value.
        const expected = /^[\d ]+$/.test(part)
          ? part.replaceAll(' ', '')
          : /^`[^`$]*`$/.test(part)
            ? part.slice(1, -1)
            : undefined;
        if (expected !== undefined && String(defaults[name]) !== expected)
          drift.push(`README ${name}: ${part}, the app: ${String(defaults[name])}`);
      });
    }
    for (const { name, commented, value } of exampleLines) {
      if (commented || ELSEWHERE.test(name)) continue;
      const parsed = (loadAppConfig({ [name]: value }) as Record<string, unknown>)[name];
      if (JSON.stringify(parsed) !== JSON.stringify(defaults[name]))
        drift.push(`.env.example ${name}=${value}, the app's default: ${String(defaults[name])}`);
    }
    expect(drift).toEqual([]);
  });
});
