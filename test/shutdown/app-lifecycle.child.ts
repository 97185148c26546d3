// Boots the whole sample app (cache, bus, BullMQ workers and schedulers, write-behind, sessions,
// metrics, OCR), serves one request, closes it, and then does NOT exit: if anything is still
// open (a Redis connection, a worker, a timer), the process stays alive and the test fails.
import 'reflect-metadata';
import { startApp } from '../../src/bootstrap.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { failOnUnhandled } from '../helpers/fail-on-unhandled.js';

failOnUnhandled();

const running = await startApp(
  loadAppConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: process.env.CHILD_DATABASE_URL,
    REDIS_URL: process.env.CHILD_REDIS_URL,
    CACHE_PREFIX: process.env.CHILD_PREFIX,
    SEED_PRODUCTS: '200',
    SEED_DOCUMENTS: '0',
    DOCUMENTS_DIR: process.env.CHILD_DOCUMENTS_DIR,
  }),
);
const res = await fetch(`${running.url}/products/1`);
process.stdout.write(`served ${res.status}\n`);
await running.close();
process.stdout.write('closed\n');
