import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CacheService } from '../../../src/cache/index.js';
import { uniquePrefix } from '../../helpers/cache-instance.js';
import { HOST, startNode, stopAll, type RedisNode } from '../../helpers/redis-process.js';
import { bootWriteBehindApp, rowsOf, seedRows, type WbApp } from './write-behind.app.js';

/**
 * A redis-server of its own, frozen with SIGSTOP: the socket stays open, every command times out.
 * The flusher ticks throughout; each failed tick must be counted, never become an unhandled
 * rejection (which ends the process: the sample app used to exit within ~2 s of the stall).
 */
describe('write-behind while Redis is stalled', () => {
  let node: RedisNode;
  let app: WbApp;
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    node = await startNode(() => []);
    app = await bootWriteBehindApp(uniquePrefix('wb-stall'), { flushInterval: 50 }, undefined, {
      url: `redis://${HOST}:${node.port}`,
      commandTimeout: 200,
    });
    await seedRows(app.db, 9000, 5);
    process.on('unhandledRejection', record);
  }, 60_000);
  afterAll(async () => {
    process.off('unhandledRejection', record);
    if (node) node.child.kill('SIGCONT');
    await app?.app.close();
    if (node) await stopAll([node]);
  });

  it('counts every failed flush, survives the stall, and applies the writes once Redis is back', async () => {
    for (let id = 9000; id < 9005; id++) await app.wb.increment('row', id, 'views', 3);
    const cache = app.app.get(CacheService);
    const errorsBefore = cache.stats().errors;

    node.child.kill('SIGSTOP');
    // Several ticks fail (each a timed-out command): counted, not thrown.
    await vi.waitFor(() => expect(cache.stats().errors).toBeGreaterThanOrEqual(errorsBefore + 3), {
      timeout: 20_000,
      interval: 50,
    });
    expect(unhandled).toEqual([]);

    node.child.kill('SIGCONT');
    await vi.waitFor(
      async () => expect((await rowsOf(app.db, 9000, 5)).map((r) => Number(r.views))).toEqual([3, 3, 3, 3, 3]),
      {
        timeout: 20_000,
        interval: 100,
      },
    );
    expect(unhandled).toEqual([]);
  }, 60_000);
});
