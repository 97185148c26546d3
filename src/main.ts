import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startApp } from './bootstrap.js';
import { loadAppConfig } from './config/app-config.js';
import { EmbeddedPostgresError } from '@internal/dev-services';

const logger = new Logger('Main');
const running = await startApp(loadAppConfig()).catch((error: unknown) => {
  // Nothing to debug: the message says why it cannot run here and what to do.
  if (!(error instanceof EmbeddedPostgresError)) throw error;
  console.error(error.message);
  process.exit(1);
});
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
