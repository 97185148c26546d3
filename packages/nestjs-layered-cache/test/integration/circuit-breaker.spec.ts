import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheModule, CacheService } from '../../src/index.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '@internal/dev-services';
import { sleep, uniquePrefix } from '../helpers/cache-instance.js';

/** A private Redis, stopped and restarted under a stream of reads. */
describe('L2 circuit breaker', () => {
  let server: EmbeddedRedis;
  let cache: CacheService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    server = await startEmbeddedRedis();
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.forRoot({
          prefix: uniquePrefix('circuit'),
          l1: false,
          redis: { url: server.url, commandTimeout: 300 },
          circuitBreaker: { threshold: 3, window: 10_000, cooldown: 300 },
        }),
      ],
    }).compile();
    moduleRef.useLogger(false);
    const app = await moduleRef.init();
    cache = app.get(CacheService);
    close = () => app.close();
  });
  afterAll(async () => {
    await close?.();
    await server?.stop();
  });

  it('opens after repeated failures so reads stop paying for Redis, then closes once it answers', async () => {
    let loads = 0;
    const read = (i: number) => cache.getOrSet(`k:${i}`, async () => ++loads, { ttl: 60_000 });
    expect(await read(0)).toBe(1);
    await server.pause();
    const errorsBefore = cache.stats().errors;
    for (let i = 1; i <= 20; i++) expect(await read(i)).toBeGreaterThan(0); // every read still answered
    const down = cache.stats();
    expect(down.l2).toMatchObject({ circuit: 'open', circuitOpens: 1 });
    expect(down.l2!.skipped).toBeGreaterThan(20);
    // Only the calls before the circuit opened (and its probes) reached the dead Redis.
    expect(down.errors - errorsBefore).toBeLessThan(10);
    await server.restart();
    for (let i = 0; i < 50 && cache.stats().l2!.circuit !== 'closed'; i++) {
      await read(100 + i);
      await sleep(100);
    }
    expect(cache.stats().l2!.circuit).toBe('closed');
    await cache.set('after', 'stored');
    expect(await cache.get('after')).toBe('stored');
  });
});
