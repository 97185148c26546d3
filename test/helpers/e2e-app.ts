import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startApp, type RunningApp } from '../../src/bootstrap.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { uniquePrefix } from './cache-instance.js';
import { E2E_SEED_PRODUCTS } from './e2e.constants.js';

/** The sample app on the run's Postgres and Redis, with its own cache prefix and upload directory. */
export async function startE2eApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const documentsDir = mkdtempSync(join(tmpdir(), 'e2e-docs-'));
  const running = await startApp(
    loadAppConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: inject('redisUrl'),
      CACHE_PREFIX: uniquePrefix('app'),
      SEED_PRODUCTS: String(E2E_SEED_PRODUCTS),
      SEED_DOCUMENTS: '0',
      DOCUMENTS_DIR: documentsDir,
      ...env,
    }),
  );
  return {
    ...running,
    close: async () => {
      await running.close();
      rmSync(documentsDir, { recursive: true, force: true });
    },
  };
}
