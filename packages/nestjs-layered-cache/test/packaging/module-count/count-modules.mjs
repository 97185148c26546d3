// Preloaded with `node --import ./count-modules.mjs`: records every module the app loads into
// $NLC_MODULE_LOG, one path a line: ES modules through a load hook as they load, and on SIGUSR2 the
// CommonJS modules in require's cache followed by a line `end`.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const log = process.env.NLC_MODULE_LOG;
if (log) {
  register('./count-hooks.mjs', import.meta.url);
  process.on('SIGUSR2', () => {
    appendFileSync(log, `${Object.keys(createRequire(import.meta.url).cache).join('\n')}\nend\n`);
  });
}
