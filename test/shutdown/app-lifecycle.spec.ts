import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { uniquePrefix } from '../helpers/cache-instance.js';
import { UNHANDLED_MARKER } from '../helpers/fail-on-unhandled.js';

describe('graceful shutdown', () => {
  it('leaves nothing open: after app.close() the process exits by itself', async () => {
    const documentsDir = mkdtempSync(join(tmpdir(), 'shutdown-docs-'));
    const child = spawn(
      process.execPath,
      ['--import', './test/helpers/swc-register.mjs', 'test/shutdown/app-lifecycle.child.ts'],
      {
        env: {
          ...process.env,
          CHILD_DATABASE_URL: inject('databaseUrl'),
          CHILD_REDIS_URL: inject('redisUrl'),
          CHILD_PREFIX: uniquePrefix('shutdown'),
          CHILD_DOCUMENTS_DIR: documentsDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const deadline = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 25_000).unref());
    const outcome = await Promise.race([exited, deadline]);
    if (outcome === 'hung') child.kill('SIGKILL');
    rmSync(documentsDir, { recursive: true, force: true });
    expect(output).not.toContain(UNHANDLED_MARKER);
    expect(output).toContain('served 200');
    expect(output).toContain('closed');
    expect(outcome, `the process did not exit within 25 s of starting:\n${output}`).toBe(0);
  }, 40_000);
});
