import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source.options.js';
import { seedDemoData, seedInventory } from '../../src/database/seed.js';
import { seedUsers } from '../../src/modules/auth/users.seed.js';

/** A database of the suite's own on the run's Postgres server: the chaos writes touch no other test's rows. */
export interface ChaosDatabase {
  url: string;
  /** A completed document owned by the demo user, for write-behind counted reads. */
  documentUuid: string;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export const DEMO_USER = { email: 'user@example.com', password: 'user-demo-password' };

export async function createChaosDatabase(serverUrl: string, products: number): Promise<ChaosDatabase> {
  const name = `chaos_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // Migrated and seeded once here, so that the two instances can boot in parallel.
  const dataSource = await new DataSource(dataSourceOptions(url.toString())).initialize();
  await seedDemoData(dataSource, products);
  await seedInventory(dataSource);
  await seedUsers(dataSource);
  await dataSource.destroy();

  const direct = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    (await direct.query<T>(sql, params)).rows;
  const [user] = await query<{ id: string }>('SELECT id FROM users WHERE email = $1', [DEMO_USER.email]);
  const [doc] = await query<{ uuid: string }>(
    `INSERT INTO documents (owner_id, title, content_hash, mime, size, status, ocr_text, confidence, language, page_count)
     VALUES ($1, 'chaos', repeat('0', 64), 'image/png', 1, 'completed', 'text', 90, 'eng', 1) RETURNING uuid`,
    [String(user.id)],
  );
  return {
    url: url.toString(),
    documentUuid: doc.uuid,
    query,
    drop: async () => {
      await direct.end();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface ExitRecord {
  instance: string;
  code: number | null;
  signal: string | null;
}

/** One child process running the whole app (chaos-app.child.ts). */
export interface ChaosInstance {
  name: string;
  url: string;
  adminToken: string;
  child: ChildProcess;
  /** The last lines it wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** True once the process has ended (other than through `stop()`). */
  exited(): boolean;
  stop(): Promise<void>;
}

export async function startInstance(
  name: string,
  env: Record<string, string>,
  onExit: (record: ExitRecord) => void,
): Promise<ChaosInstance> {
  const documentsDir = mkdtempSync(join(tmpdir(), `chaos-docs-${name}-`));
  const child = spawn(
    process.execPath,
    ['--import', './test/helpers/swc-register.mjs', 'test/chaos/chaos-app.child.ts'],
    { env: { ...process.env, ...env, DOCUMENTS_DIR: documentsDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) onExit({ instance: name, code, signal });
      resolve();
    }),
  );
  const ready = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s:\n${output}`)), 120_000);
    const check = () => {
      const match = /CHAOS_READY (\S+) (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve(match);
      }
    };
    child.stdout.on('data', check);
    exited.then(
      () => reject(new Error(`${name} exited while starting:\n${output}`)),
      () => undefined,
    );
  });
  return {
    name,
    url: ready[1],
    adminToken: ready[2],
    child,
    output: () => output.split('\n').slice(-40).join('\n'),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      rmSync(documentsDir, { recursive: true, force: true });
    },
  };
}
