import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const script = join(root, 'scripts/build-if-stale.mjs');

/** A project whose `npm run build` only counts itself and lays out what the app runs from. */
function fakeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'build-if-stale-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/main.ts'), 'export {};\n');
  writeFileSync(join(dir, 'src/main.spec.ts'), 'export {};\n');
  writeFileSync(
    join(dir, 'build.cjs'),
    `const fs = require('fs');
     fs.appendFileSync('builds.log', 'x');
     for (const d of ['dist/src', 'packages/nestjs-layered-cache/dist', 'packages/dev-services/dist']) fs.mkdirSync(d, { recursive: true });
     fs.writeFileSync('dist/src/main.js', '');`,
  );
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fake', scripts: { build: 'node build.cjs' } }));
  return dir;
}

describe('npm start builds only when something changed', () => {
  const dir = fakeProject();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const start = () => execFileSync(process.execPath, [script, dir], { cwd: dir, encoding: 'utf8' });
  const builds = () => readFileSync(join(dir, 'builds.log'), 'utf8').length;
  const touch = (file: string, secondsAhead: number) => {
    const t = new Date(Date.now() + secondsAhead * 1000);
    utimesSync(join(dir, file), t, t);
  };

  it('is what `npm start` runs before the app', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toBe('node scripts/build-if-stale.mjs && node dist/src/main.js');
  });

  it('builds the first time, not again while nothing changed, again after a source change, not for a test', () => {
    start();
    expect(builds()).toBe(1);
    expect(start()).toMatch(/up to date/);
    expect(builds()).toBe(1);
    touch('src/main.spec.ts', 60);
    start();
    expect(builds()).toBe(1);
    touch('src/main.ts', 120);
    start();
    expect(builds()).toBe(2);
    rmSync(join(dir, 'dist/src/main.js'));
    start();
    expect(builds()).toBe(3);
  });
});
