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
});
