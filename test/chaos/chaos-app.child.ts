// One instance of the whole sample app, booted as src/main.ts boots it (every module, worker,
// scheduler and timer on), for the chaos suite. It prints one line `CHAOS_READY <url> <token>` when
// it listens and closes on SIGTERM. Nothing here catches errors: an unhandled rejection or an
// uncaught exception ends the process as it would end `npm start`, and the suite counts that exit.
import 'reflect-metadata';
import { startApp } from '../../src/bootstrap.js';
import { loadAppConfig } from '../../src/config/app-config.js';

const running = await startApp(loadAppConfig(process.env));
process.stdout.write(`CHAOS_READY ${running.url} ${running.adminToken}\n`);
process.once('SIGTERM', () => {
  running.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`close failed: ${String(error)}\n`);
      process.exit(3);
    },
  );
});
