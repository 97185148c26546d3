import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CACHE_OPTION_DEFAULTS } from '../core/cache-option.defaults.js';
import { cacheOptionsSchema } from './cache-options.schema.js';

/**
 * docs/options.md (and the `http.…` table of docs/http-caching.md) against the source: option paths
 * from the schema, units from its `meta({ unit })`, defaults from CACHE_OPTION_DEFAULTS. The JSDoc
 * of the options' interfaces (what an editor shows) is held to the same defaults.
 */
interface DocRow {
  path: string;
  default: string;
  unit: string;
}

const doc = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

/** The rows of the markdown table whose header starts with `header`. */
function tableRows(markdown: string, header: string, prefix = ''): DocRow[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header}`));
  if (start === -1) throw new Error(`no table with header "${header}"`);
  const rows: DocRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [option = '', value = '', unit = ''] = line
      .slice(1)
      .split('|')
      .map((cell) => cell.trim());
    rows.push({ path: prefix + option.replace(/^`|`$/g, ''), default: value, unit });
  }
  return rows;
}

/** Every option path of the schema, with its unit ('' when it has none). */
function schemaPaths(schema: z.ZodType, path = '', out = new Map<string, string>()): Map<string, string> {
  const def = (schema as unknown as { def: { type: string; innerType?: z.ZodType; options?: z.ZodType[] } }).def;
  if (def.type === 'optional') return schemaPaths(def.innerType!, path, out);
  if (def.type === 'union') {
    for (const option of def.options!) schemaPaths(option, path, out);
    return out;
  }
  const unit = (schema.meta() as { unit?: string } | undefined)?.unit;
  if (path) out.set(path, unit ?? out.get(path) ?? '');
  if (def.type === 'object') {
    for (const [key, child] of Object.entries((def as unknown as { shape: Record<string, z.ZodType> }).shape)) {
      schemaPaths(child, path ? `${path}.${key}` : key, out);
    }
  }
  return out;
}

/** `{ redis: { softTimeout: 250 } }` → `redis.softTimeout` → 250. */
function flatten(value: object, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (typeof child === 'object' && !Array.isArray(child)) flatten(child as object, at, out);
    else out.set(at, child);
  }
  return out;
}

const MiB = 1024 * 1024;
/** How the docs write a default: `60 000`, `8 MiB`, `` `cache` ``, `` `a`, `b` ``. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => `\`${String(item)}\``).join(', ');
  if (typeof value === 'string') return `\`${value}\``;
  if (typeof value === 'number' && value >= MiB && value % MiB === 0) return `${value / MiB} MiB`;
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** The JSDoc of every property of CacheModuleOptions, by option path, read from the interfaces' sources. */
function interfaceDocs(): Map<string, string> {
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  for (const file of [
    '../cache-options.interface.ts',
    '../redis/redis-options.interface.ts',
    '../http/http-cache.interface.ts',
  ]) {
    const text = readFileSync(new URL(file, import.meta.url), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    source.forEachChild((node) => {
      if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
    });
  }
  const out = new Map<string, string>();
  const visit = (members: ts.NodeArray<ts.TypeElement>, prefix: string) => {
    for (const member of members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const path = prefix + member.name.getText();
      out.set(
        path,
        ts
          .getJSDocCommentsAndTags(member)
          .map((doc) => doc.getText())
          .join(' ')
          .replace(/\s*\*\s*/g, ' '),
      );
      const types = ts.isUnionTypeNode(member.type) ? member.type.types : [member.type];
      for (const type of types) {
        if (ts.isTypeLiteralNode(type)) visit(type.members, `${path}.`);
        const named = ts.isTypeReferenceNode(type) ? interfaces.get(type.typeName.getText()) : undefined;
        if (named) visit(named.members, `${path}.`);
      }
    }
  };
  visit(interfaces.get('CacheModuleOptions')!.members, '');
  return out;
}

const rows = [
  ...tableRows(doc('options.md'), 'option '),
  ...tableRows(doc('http-caching.md'), 'module option `http.…`', 'http.'),
];
const documented = new Map(rows.map((row) => [row.path, row]));
const options = schemaPaths(cacheOptionsSchema);
const defaults = flatten(CACHE_OPTION_DEFAULTS);
// The connection alternatives are described together in the `redis` row.
const inRedisRow = /^redis\.(url|sentinel|cluster|client)(\.|$)/;

describe('docs/options.md agrees with the source', () => {
  it('documents each option once, and only options that exist', () => {
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.map((row) => row.path).filter((path, i, all) => all.indexOf(path) !== i)).toEqual([]);
    expect(rows.map((row) => row.path).filter((path) => !options.has(path))).toEqual([]);
    expect([...options.keys()].filter((path) => !inRedisRow.test(path) && !documented.has(path))).toEqual([]);
  });

  it('gives every default as the source has it', () => {
    const wrong = [...defaults].flatMap(([path, value]) =>
      documented.get(path)?.default === shown(value)
        ? []
        : [`${path}: docs "${documented.get(path)?.default}", source "${shown(value)}"`],
    );
    expect(wrong).toEqual([]);
  });

  it('gives every default in the JSDoc an editor shows as the source has it', () => {
    const jsdoc = interfaceDocs();
    expect(jsdoc.size).toBeGreaterThan(30);
    const wrong = [...defaults].flatMap(([path, value]) => {
      const said = new RegExp(`Default ${shown(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d ])`);
      return said.test(jsdoc.get(path) ?? '')
        ? []
        : [`${path}: "${jsdoc.get(path)}" does not say "Default ${shown(value)}"`];
    });
    expect(wrong).toEqual([]);
  });

  it('gives every unit as the schema has it', () => {
    const wrong = rows.flatMap((row) =>
      row.unit === options.get(row.path) ? [] : [`${row.path}: docs "${row.unit}", schema "${options.get(row.path)}"`],
    );
    expect(wrong).toEqual([]);
  });
});
