import { createServer, type Server, type Socket } from 'node:net';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CacheModule, CacheService } from '../../src/index.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '@internal/dev-services';
import { uniquePrefix } from '../helpers/cache-instance.js';

/** Redis is stopped in the middle of the test (a private server, so nothing else is affected). */
describe('Redis stopped mid-test', () => {
  let server: EmbeddedRedis;
  beforeAll(async () => void (server = await startEmbeddedRedis()));
  afterAll(() => server.stop());

  // Nest's logger override is process-wide, so every instance here shares one spy.
  const warn = vi.fn();

  async function boot(prefix: string, l1 = true) {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.forRoot({ prefix, redis: { url: server.url, commandTimeout: 300 }, ...(l1 ? {} : { l1: false }) }),
      ],
    })
      .setLogger({ log: vi.fn(), error: vi.fn(), warn, debug: vi.fn(), verbose: vi.fn() })
      .compile();
    const app = await moduleRef.init();
    return { cache: app.get(CacheService), app };
  }

  it('fails open, counts and logs once, then replays invalidations once Redis is back', async () => {
    warn.mockClear();
    const prefix = uniquePrefix('outage');
    const a = await boot(prefix);
    const observer = await boot(prefix, false);
    await a.cache.getOrSet('kept', () => 'before', { tags: ['doomed'] });
    expect(await observer.cache.get('kept')).toBe('before');

    await server.pause();

    // The bus is down too, so L1 is not trusted (a missed invalidation could leave it stale):
    // reads go to the loader, writes and invalidations resolve, nothing throws.
    const loader = vi.fn(() => 'loaded-during-outage');
    expect(await a.cache.getOrSet('new', loader)).toBe('loaded-during-outage');
    expect(await a.cache.getOrSet('new', loader)).toBe('loaded-during-outage');
    expect(loader).toHaveBeenCalledTimes(2);
    await expect(a.cache.set('local', 'v')).resolves.toBeUndefined();
    expect(await a.cache.get('local')).toBeUndefined();
    await expect(a.cache.invalidateTags(['doomed'])).resolves.toBeUndefined();
    expect(await a.cache.get('kept')).toBeUndefined();
    expect(a.cache.stats().errors).toBeGreaterThanOrEqual(3);
    expect(a.cache.stats().bus).toMatchObject({ trusted: false, disconnects: 1 });
    const logged = (pattern: RegExp) => warn.mock.calls.filter(([message]) => pattern.test(String(message)));
    expect(logged(/Cache L2 .* failed/)).toHaveLength(1); // once per burst, not once per error
    expect(logged(/bus disconnected/)).toHaveLength(1); // the observer has no L1, hence no bus

    await server.restart();

    // Once reconnected, the instance replays the tag bump, so no instance reads the doomed entry.
    await vi.waitFor(async () => expect(await observer.cache.get('kept')).toBeUndefined(), { timeout: 10_000 });
    await vi.waitFor(
      async () => {
        await a.cache.set('after', 'back');
        expect(await observer.cache.get('after')).toBe('back');
      },
      { timeout: 10_000 },
    );
    await a.app.close();
    await observer.app.close();
  });

  it('boots while Redis is down, serves through the loader, and uses L1 once Redis is back', async () => {
    await server.pause();
    let down = true;
    const { cache, app } = await boot(uniquePrefix('down'));
    try {
      expect(await cache.getOrSet('k', () => 'v')).toBe('v');
      expect(cache.stats().bus!.trusted).toBe(false);
      await server.restart();
      down = false;
      await vi.waitFor(() => expect(cache.stats().bus!.trusted).toBe(true), { timeout: 10_000 });
      const loader = vi.fn(() => 'v2');
      await cache.getOrSet('k2', loader);
      expect(await cache.get('k2')).toBe('v2');
      expect(cache.stats().l1!.hits).toBe(1);
    } finally {
      await app.close();
      if (down) await server.restart();
    }
  });

  it('reports Redis up again after a reconnect, on an instance that sends nothing more', async () => {
    const { cache, app } = await boot(uniquePrefix('idle'), false);
    let down = false;
    try {
      await server.pause();
      down = true;
      // A read during the outage (nothing pending to replay afterwards): Redis is failing.
      expect(await cache.get('k')).toBeUndefined();
      expect(cache.stats().l2!.failing).toBe(true);
      await server.restart();
      down = false;
      // No cache operation from here on: the reconnect alone must end the failure.
      await vi.waitFor(() => expect(cache.stats().l2!.failing).toBe(false), { timeout: 10_000 });
    } finally {
      await app.close();
      if (down) await server.restart();
    }
  });
});

/**
 * A Redis that accepts connections and never answers (SIGSTOPped, or a process starved of CPU):
 * ioredis's `connect()` then waits for its ready check forever, and so would the application's boot.
 */
describe('Redis stalled at boot', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('boots and shuts down within the connect timeout, serving through the loader', async () => {
    const { port } = silent.address() as { port: number };
    const warn = vi.fn();
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.forRoot({
          prefix: uniquePrefix('stalled'),
          // The ready check would wait up to the command timeout: a minute here.
          redis: { url: `redis://127.0.0.1:${port}`, connectTimeout: 300, commandTimeout: 60_000, softTimeout: 100 },
        }),
      ],
    })
      .setLogger({ log: vi.fn(), error: vi.fn(), warn, debug: vi.fn(), verbose: vi.fn() })
      .compile();
    const app = await moduleRef.init();
    const cache = app.get(CacheService);
    expect(sockets.size).toBeGreaterThan(0);
    const loader = vi.fn(() => 'from the loader');
    // Reads are misses after the soft timeout: the loader answers.
    expect(await cache.getOrSet('k', loader)).toBe('from the loader');
    expect(loader).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls.map(([message]) => String(message))).toContainEqual(
      expect.stringMatching(/Redis did not answer within 300 ms/),
    );
    await app.close();
  });
});
