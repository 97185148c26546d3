import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

let counter = 0;
/** Test files run in separate processes, each counting from 0: this tells them apart. */
const processTag = randomBytes(3).toString('hex');

/** A cache prefix no other test (or run sharing TEST_REDIS_URL) uses. */
export function uniquePrefix(label = 'c'): string {
  return `${inject('runId')}.${label}${processTag}${++counter}`;
}
