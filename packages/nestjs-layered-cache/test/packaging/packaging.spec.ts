import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { uniquePrefix } from '../helpers/cache-instance.js';

const run = promisify(execFile);
const packageDir = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
/** Same versions as this workspace's lockfile, so npm finds them in its cache. */
const lock = JSON.parse(readFileSync(join(packageDir, '../../package-lock.json'), 'utf8')) as {
  packages: Record<string, { version: string }>;
};
const installed = (name: string) => `${name}@${lock.packages[`node_modules/${name}`].version}`;
const CORE_PEERS = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  'ioredis',
  'reflect-metadata',
  'rxjs',
];
/** The library's integration folders in dist: a core-only app must load none of their files. */
const INTEGRATION_DIRS =
  /\/dist\/(typeorm|cdc|warming|write-behind|session|admin|metrics|health|cache-manager|testing)\//;
const OPTIONAL_PEERS = Object.keys(
  (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { peerDependenciesMeta: object })
    .peerDependenciesMeta,
);

/** tsc over the consumer's code; its diagnostics become the failure's message. */
async function typeCheck(dir: string, project: string): Promise<void> {
  await run(process.execPath, [tsc, '-p', project], { cwd: dir, timeout: 120_000 }).catch(
    (error: { stdout?: string }) => {
      throw new Error(`tsc -p ${project} failed:\n${error.stdout ?? String(error)}`);
    },
  );
}

const npm = (cwd: string, ...args: string[]) =>
  run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, timeout: 180_000 });

/** Starts the consumer's built app; resolves once it prints its port. */
function boot(
  dir: string,
  mode: string[] = [],
  options: { nodeArgs?: string[]; env?: Record<string, string> } = {},
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'dist/main.js', ...mode], {
    cwd: dir,
    env: { ...process.env, REDIS_URL: inject('redisUrl'), CACHE_PREFIX: uniquePrefix('pkg'), ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`consumer app exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const port = (JSON.parse(line) as { port?: number }).port;
      if (port) resolvePort({ url: `http://127.0.0.1:${port}`, child });
    });
  });
}

/**
 * The published artifact, used as an npm user uses it: `npm pack`, installed into a fresh Nest app
 * outside the repository with only the core peers, type-checked against the shipped .d.ts, booted.
 */
describe('the packed library in a fresh Nest app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlc-consumer-'));
  const apps: ChildProcess[] = [];
  let tarball = '';

  beforeAll(async () => {
    const { stdout } = await run('npm', ['pack', '--pack-destination', dir, '--silent'], {
      cwd: packageDir,
      timeout: 180_000,
    });
    tarball = join(dir, stdout.trim().split('\n').pop()!);
    cpSync(join(import.meta.dirname, 'consumer'), dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await npm(dir, 'install', tarball, ...CORE_PEERS.map(installed), installed('@types/node'));
  }, 300_000);

  afterAll(() => {
    for (const child of apps) child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs without any optional peer, type-checks, and caches through @CacheRoute and CacheService', async () => {
    for (const peer of OPTIONAL_PEERS) expect(existsSync(join(dir, 'node_modules', peer)), peer).toBe(false);
    await typeCheck(dir, 'tsconfig.json');
    const { url, child } = await boot(dir);
    apps.push(child);

    const first = await fetch(`${url}/route`);
    const second = await fetch(`${url}/route`);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(await second.json()).toEqual(await first.json());

    const a = (await (await fetch(`${url}/service`)).json()) as { loads: number };
    const b = (await (await fetch(`${url}/service`)).json()) as { loads: number };
    expect([a.loads, b.loads]).toEqual([1, 1]);
  }, 180_000);

  it('loads no integration of the library, only the core, in an app that uses the core', async () => {
    const log = join(dir, 'modules.log');
    cpSync(join(import.meta.dirname, 'module-count'), dir, { recursive: true });
    const { url, child } = await boot(dir, [], {
      nodeArgs: ['--import', './count-modules.mjs'],
      env: { NLC_MODULE_LOG: log },
    });
    apps.push(child);
    expect((await fetch(`${url}/route`)).status).toBe(200);
    child.kill('SIGUSR2');
    await vi.waitFor(() => expect(existsSync(log) && readFileSync(log, 'utf8').endsWith('end\n')).toBe(true), {
      timeout: 10_000,
    });

    const modules = new Set(
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== '' && line !== 'end')
        .map((line) => (line.startsWith('file:') ? fileURLToPath(line) : line)),
    );
    const ours = [...modules].filter((path) => path.includes('/node_modules/nestjs-layered-cache/'));
    const integrations = ours.filter((path) => INTEGRATION_DIRS.test(path));
    expect(integrations).toEqual([]);
    expect(ours.length).toBeGreaterThan(0);
    const perPackage = new Map<string, number>();
    for (const path of modules) {
      const name = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(node or app)';
      perPackage.set(name, (perPackage.get(name) ?? 0) + 1);
    }
    const counts = [...perPackage].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n}`);
    console.log(`core-only app: ${modules.size} modules from ${perPackage.size} packages: ${counts.join(', ')}`);
  }, 180_000);

  it('serves an integration subpath once that integration’s optional peers are installed', async () => {
    await npm(dir, 'install', ...['@nestjs/cache-manager', 'cache-manager', 'keyv'].map(installed));
    await typeCheck(dir, 'tsconfig.integration.json');
    const { url, child } = await boot(dir, ['cache-manager']);
    apps.push(child);
    const body = (await (await fetch(`${url}/cache-manager`)).json()) as { viaService: unknown };
    expect(body.viaService).toEqual({ written: 'by cache-manager' });
  }, 180_000);

  it('ships no build output without its source (a stale dist file of a moved or deleted module)', () => {
    const shipped = join(dir, 'node_modules', 'nestjs-layered-cache');
    const built = readdirSync(join(shipped, 'dist'), { recursive: true, encoding: 'utf8' });
    const orphans = built
      .filter((file) => file.endsWith('.js'))
      .filter((file) => !existsSync(join(shipped, 'src', file.replace(/\.js$/, '.ts'))));
    expect(orphans).toEqual([]);
  });

  it('passes publint and arethetypeswrong (ESM only) as packed', async () => {
    const npx = (...args: string[]) => run('npx', ['--no-install', ...args], { cwd: packageDir, timeout: 120_000 });
    // The installed copy is exactly the tarball's contents.
    const lint = await npx('publint', join(dir, 'node_modules', 'nestjs-layered-cache'), '--pack', 'false', '--strict');
    expect(lint.stdout).toMatch(/All good/);
    await npx('attw', tarball, '--profile', 'esm-only');
  }, 240_000);
});
