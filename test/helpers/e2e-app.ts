import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { inject } from 'vitest';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { startApp, type RunningApp } from '../../src/bootstrap.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { uniquePrefix } from './unique-prefix.js';
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
      CACHE_PREFIX: env.CACHE_PREFIX ?? uniquePrefix('app'),
      SEED_PRODUCTS: String(E2E_SEED_PRODUCTS),
      SEED_DOCUMENTS: '0',
      // Every e2e login comes from 127.0.0.1; the per-account limit is what the auth test checks.
      LOGIN_LIMIT_PER_IP: '100000',
      DOCUMENTS_DIR: documentsDir,
      // Test files share one database: with CDC, one file's writes would invalidate another's cache
      // (correctly) and race its assertions. The CDC tests turn it on.
      CACHE_CDC: 'false',
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

/** A supertest agent (it keeps the session cookie) logged in as a new user of its own. */
export async function loginAsNewUser(
  running: RunningApp,
  roles: string[] = [],
): Promise<{ agent: TestAgent; userId: string; email: string; password: string }> {
  // Unique across test files too (each file runs in its own process, with its own counters).
  const email = `user-${randomBytes(8).toString('hex')}@example.com`;
  const password = 'a-long-enough-test-password';
  const user = await running.app.get(AuthService).createUser(email, 'Test user', password, roles);
  const agent = request.agent(running.app.getHttpServer());
  await agent.post('/auth/login').send({ email, password }).expect(200);
  return { agent, userId: String(user.id), email, password };
}

export type TestAgent = ReturnType<typeof request.agent>;
