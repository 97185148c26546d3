import { Test } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import { describe, expect, inject, it } from 'vitest';
import { CacheModule, type CacheModuleOptions } from '../../src/index.js';
import { CacheHealthIndicator } from '../../src/health/index.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

async function check(options: CacheModuleOptions) {
  const moduleRef = await Test.createTestingModule({
    imports: [CacheModule.forRoot({ isGlobal: true, prefix: uniquePrefix('health'), ...options }), TerminusModule],
    providers: [CacheHealthIndicator],
  }).compile();
  const app = await moduleRef.init();
  try {
    return await app.get(CacheHealthIndicator).check('cache', 500);
  } finally {
    await app.close();
  }
}

describe('cache health indicator', () => {
  it('is up when Redis answers and the bus is subscribed', async () => {
    const result = await check({ redis: { url: inject('redisUrl') } });
    expect(result.cache).toMatchObject({ status: 'up', l2: 'up', bus: 'subscribed', pingMs: expect.any(Number) });
  });

  it('is degraded, not down, when Redis is unreachable: the app still serves', async () => {
    const result = await check({ redis: { url: 'redis://127.0.0.1:1', connectTimeout: 200, commandTimeout: 200 } });
    expect(result.cache).toMatchObject({ status: 'degraded', l2: 'down', bus: 'unsubscribed' });
  });

  it('is up with Redis turned off (an in-process cache)', async () => {
    const result = await check({ redis: false });
    expect(result.cache).toMatchObject({ status: 'up', l2: 'off', bus: 'off' });
  });
});
