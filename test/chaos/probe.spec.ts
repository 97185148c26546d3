import { it, inject } from 'vitest';
import { startApp } from '../../src/bootstrap.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { createChaosDatabase } from './chaos-cluster.js';
import { startChaosRedis } from './chaos-redis.js';
import { startPgProxy } from './pg-proxy.js';

it('probe', async () => {
  const db = await createChaosDatabase(inject('databaseUrl'), 40);
  const redis = await startChaosRedis();
  const proxy = await startPgProxy(db.url);
  const app = await startApp(
    loadAppConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: proxy.url,
      REDIS_URL: redis.url,
      CACHE_PREFIX: 'p',
      SEED_DOCUMENTS: '0',
      SEED_PRODUCTS: '40',
      DOCUMENTS_DIR: '/tmp/probe',
      CACHE_REFRESH_AHEAD_INTERVAL: '1000',
      WRITE_BEHIND_FLUSH_INTERVAL: '500',
      CACHE_ADMIN_HISTORY_INTERVAL: '1000',
    }),
  );
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`${app.url}/products/1`);
    console.log(r.status, r.headers.get('x-cache'), r.headers.get('cache-control'), (await r.text()).slice(0, 80));
  }
  const w = await fetch(`${app.url}/products/20`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'chaos-1' }),
  });
  console.log('write', w.status);
  for (let i = 0; i < 2; i++) {
    const r = await fetch(`${app.url}/products/1`);
    console.log(r.status, r.headers.get('x-cache'));
  }
  for (let i = 0; i < 50; i++) await fetch(`${app.url}/products/1`);
  await new Promise((r) => setTimeout(r, 3000));
  proxy.refuse();
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`${app.url}/products/1`);
    console.log(r.status, r.headers.get('x-cache'), (await r.text()).slice(0, 200));
  }
  proxy.restore();
  await app.close();
  await proxy.close();
  await redis.stop();
  await db.drop();
}, 120_000);
