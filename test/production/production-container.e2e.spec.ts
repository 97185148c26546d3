import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { renderTextImage } from '../../src/modules/documents/text-image.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/scratch-database.js';
import { composeEnvironment } from './compose-env.js';

const root = resolve(import.meta.dirname, '../..');
/** The user the image runs as is `node`; here, any non-root user that owns nothing in the app directory. */
const NOBODY = 65534;
const asNobody = process.getuid?.() === 0;

/** The `.env` the README's "Deploying" section tells a user to write, with its `$(openssl …)` run. */
function readmeDotenv(): Record<string, string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /cat > \.env <<EOF\n([\s\S]*?)\nEOF/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no `cat > .env <<EOF` block');
  return Object.fromEntries(
    block.split('\n').map((line) => {
      const [name, value] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)];
      const random = /^\$\(openssl rand -base64 (\d+)\)$/.exec(value!);
      return [name, random ? randomBytes(Number(random[1])).toString('base64') : value];
    }),
  );
}

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/** `node dist/src/main.js` as the image runs it: its user, its environment, its data directory. */
function startBuilt(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

/** 'up' once /health answers 200, or how the process exited before that. */
async function up(app: ReturnType<typeof startBuilt>, base: string): Promise<string> {
  const exited = new Promise<string>((done) => app.child.once('exit', (code) => done(`exited ${code}`)));
  const listening = (async () => {
    for (;;) {
      const ok = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return 'up';
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return Promise.race([listening, exited]);
}

async function stop(app: ReturnType<typeof startBuilt>): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  const exited = new Promise((done) => app.child.once('exit', done));
  app.child.kill('SIGTERM');
  await exited;
}

describe('production: the built app with the docker-compose environment, behind TLS, as a non-root user', () => {
  const dotenv = readmeDotenv();
  const dataDir = mkdtempSync(join(tmpdir(), 'prod-data-'));
  let app: ReturnType<typeof startBuilt>;
  let base: string;
  let env: Record<string, string>;
  /** A first deploy: an empty database, which the app migrates and seeds as production does. */
  let database: ScratchDatabase;
  /** What a TLS-terminating proxy adds to every request it forwards. */
  const viaProxy = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' };

  beforeAll(async () => {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: root, timeout: 240_000 });
    if (asNobody) chownSync(dataDir, NOBODY, NOBODY);
    const port = await freePort();
    database = await createScratchDatabase('production');
    env = {
      ...composeEnvironment(root, 'app', dotenv),
      // The only departures from the container: this machine's servers (a new database on the test
      // server), a free port, and the volume mounted at /data placed in a temporary directory.
      DATABASE_URL: database.url,
      REDIS_URL: inject('redisUrl'),
      PORT: String(port),
    };
    for (const [k, v] of Object.entries(env)) if (v.startsWith('/data')) env[k] = v.replace('/data', dataDir);
    base = `http://127.0.0.1:${port}`;
    app = startBuilt(env);
    expect(await up(app, base), app.output()).toBe('up');
  }, 300_000);

  afterAll(async () => {
    if (app) await stop(app);
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('provides every secret from .env, none from a default, and runs as NODE_ENV=production', () => {
    expect(env.NODE_ENV).toBe('production');
    for (const name of ['SESSION_SECRET', 'CACHE_ADMIN_TOKEN', 'METRICS_TOKEN', 'ADMIN_PASSWORD'])
      expect(env[name], name).toBe(dotenv[name]);
    expect(() => composeEnvironment(root, 'app', {})).toThrow(/SESSION_SECRET|CACHE_ADMIN_TOKEN/);
  });

  it('lets the admin account log in over the proxy: the Secure cookie is set and works', async () => {
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { ...viaProxy, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: dotenv.ADMIN_EMAIL, password: dotenv.ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('sid='));
    expect(cookie, 'no session cookie behind a TLS-terminating proxy').toMatch(/; Secure/i);
    const headers = { ...viaProxy, Cookie: cookie!.split(';')[0]! };
    const me = await fetch(`${base}/auth/me`, { headers });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { roles: string[] } }).user.roles).toContain('admin');

    // Read, and upload: the upload lands in the data directory, the one writable path.
    expect((await fetch(`${base}/products/1`, { headers })).status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([await renderTextImage(['PRODUCTION UPLOAD'])], { type: 'image/png' }), 'p.png');
    const upload = await fetch(`${base}/documents`, { method: 'POST', headers, body: form });
    expect(upload.status, await upload.clone().text()).toBe(201);
    const { uuid } = (await upload.json()) as { uuid: string };
    expect((await fetch(`${base}/documents/${uuid}`, { headers })).status).toBe(200);
    expect(readdirSync(join(dataDir, 'documents'), { recursive: true }).length).toBeGreaterThan(0);
  });

  it('seeds no demo users on a first deploy: the accounts development prints cannot log in', async () => {
    for (const [email, password] of [
      ['admin@example.com', 'admin-demo-password'],
      ['user@example.com', 'user-demo-password'],
    ]) {
      const login = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { ...viaProxy, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      expect(login.status, email).toBe(401);
    }
  });

  it('accepts the admin token from .env on the admin API, and nothing else', async () => {
    const stats = (token: string) => fetch(`${base}/cache/stats`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await stats(dotenv.CACHE_ADMIN_TOKEN!)).status).toBe(200);
    expect((await stats('change-me-change-me-change-me-32chars')).status).toBe(403);
  });

  it('sends security headers, guards /metrics with METRICS_TOKEN and serves no API docs', async () => {
    const res = await fetch(`${base}/products/1`, { headers: viaProxy });
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${dotenv.METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^# HELP/m);
    expect((await fetch(`${base}/docs`)).status).toBe(404);
    expect((await fetch(`${base}/docs-json`)).status).toBe(404);
  });

  it('has no /metrics without METRICS_TOKEN (404 naming the variable), rather than an open one', async () => {
    const { METRICS_TOKEN: _unset, ...withoutToken } = env;
    const port = await freePort();
    const second = startBuilt({ ...withoutToken, PORT: String(port) });
    try {
      expect(await up(second, `http://127.0.0.1:${port}`), second.output()).toBe('up');
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(404);
      expect(await metrics.text()).toMatch(/Set METRICS_TOKEN/);
    } finally {
      await stop(second);
    }
  }, 120_000);

  it('refuses to start with the placeholder admin token docker-compose.yml used to default to', async () => {
    const refused = startBuilt({ ...env, CACHE_ADMIN_TOKEN: 'change-me-change-me-change-me-32chars' });
    const code = await new Promise((done) => refused.child.once('exit', done));
    expect(code).not.toBe(0);
    expect(refused.output()).toMatch(/CACHE_ADMIN_TOKEN is a placeholder value/);
  });
});
