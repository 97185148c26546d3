import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startApp } from './bootstrap.js';
import { loadAppConfig } from './config/app-config.js';

const logger = new Logger('Main');
const running = await startApp(loadAppConfig());
logger.log(`Sample ERP app listening on ${running.url}  (try ${running.url}/products/1)`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(error);
        process.exit(1);
      },
    );
  });
}
