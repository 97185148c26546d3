// Module hooks (run on the loader thread): log each module's URL as it loads.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(process.env.NLC_MODULE_LOG, `${url}\n`);
  return nextLoad(url, context);
}
