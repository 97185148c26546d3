// `npm start`'s build step: runs `npm run build` only when an input of the build is newer than the
// last successful build (a full build takes ~50 s; a start with nothing changed should not).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] ?? process.cwd();
/** What the build reads: sources (not tests), configs, manifests. */
const INPUTS = [
  'src',
  'migrations',
  'package.json',
  'package-lock.json',
  'nest-cli.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.build.json',
  'packages/nestjs-layered-cache/src',
  'packages/nestjs-layered-cache/package.json',
  'packages/nestjs-layered-cache/tsconfig.json',
  'packages/nestjs-layered-cache/tsconfig.build.json',
  'packages/dev-services/src',
  'packages/dev-services/package.json',
  'packages/dev-services/tsconfig.json',
  'packages/dev-services/tsconfig.build.json',
];
/** What the app runs from; the stamp is written only after a build that succeeded. */
const OUTPUTS = ['dist/src/main.js', 'packages/nestjs-layered-cache/dist', 'packages/dev-services/dist'];
const STAMP = join(root, 'dist', '.build-stamp');

function newestInput() {
  let newest = 0;
  for (const input of INPUTS) {
    const path = join(root, input);
    if (!existsSync(path)) continue;
    const files = statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true }).map((f) => join(path, String(f)))
      : [path];
    for (const file of files) {
      if (file.endsWith('.spec.ts')) continue;
      newest = Math.max(newest, statSync(file).mtimeMs);
    }
  }
  return newest;
}

const built = existsSync(STAMP) && OUTPUTS.every((o) => existsSync(join(root, o)));
if (built && statSync(STAMP).mtimeMs >= newestInput()) {
  process.stdout.write('Build is up to date (nothing changed since the last one); starting.\n');
} else {
  const started = Date.now();
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // Stamped with the time the build started: a file saved during the build triggers the next one.
  writeFileSync(STAMP, `built at ${new Date(started).toISOString()}\n`);
  utimesSync(STAMP, new Date(started), new Date(started));
}
