import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CacheModule, CacheService } from '../../src/cache/index.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/embedded/index.js';
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

    // Reads fall back to the loader; writes keep L1; invalidations are remembered; nothing throws.
    const loader = vi.fn(() => 'loaded-during-outage');
    expect(await a.cache.getOrSet('new', loader)).toBe('loaded-during-outage');
    expect(await a.cache.getOrSet('new', loader)).toBe('loaded-during-outage');
    expect(loader).toHaveBeenCalledTimes(1);
    await expect(a.cache.set('local', 'only-l1')).resolves.toBeUndefined();
    expect(await a.cache.get('local')).toBe('only-l1');
    await expect(a.cache.invalidateTags(['doomed'])).resolves.toBeUndefined();
    expect(await a.cache.get('kept')).toBeUndefined();
    expect(a.cache.stats().errors).toBeGreaterThanOrEqual(3);
    const outageWarnings = warn.mock.calls.filter(([message]) => /Cache L2 .* failed/.test(String(message)));
    expect(outageWarnings).toHaveLength(1);

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

  it('boots and serves from L1 when Redis is down at start', async () => {
    await server.pause();
    try {
      const { cache, app } = await boot(uniquePrefix('down'));
      expect(await cache.getOrSet('k', () => 'v')).toBe('v');
      expect(await cache.get('k')).toBe('v');
      await app.close();
    } finally {
      await server.restart();
    }
  });
});
