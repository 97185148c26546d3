import { afterAll, describe, expect, it, vi } from 'vitest';
import type { RunningApp } from '../../src/bootstrap.js';
import { DEMO_USERS } from '../../src/modules/auth/users.seed.js';
import { startE2eApp } from '../helpers/e2e-app.js';

describe('development start', () => {
  let running: RunningApp | undefined;
  afterAll(() => running?.close());

  it('prints the demo accounts at every start, not only the one that seeded them', async () => {
    // The global setup seeded the users already: this start is not the first.
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      running = await startE2eApp({ NODE_ENV: 'development' });
    } finally {
      write.mockRestore();
    }
    const log = printed.join('');
    for (const user of DEMO_USERS) expect(log).toContain(`${user.email} / ${user.password}`);
  });
});
