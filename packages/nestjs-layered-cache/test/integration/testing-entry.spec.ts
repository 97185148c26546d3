import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it, vi } from 'vitest';
import { Cacheable, CacheService } from '../../src/index.js';
import { CacheTestingModule, createTestingCache } from '../../src/testing/index.js';

@Injectable()
class PriceService {
  readonly load = vi.fn(async (id: number) => ({ id, price: id * 10 }));

  @Cacheable({ key: 'price:{0}', tags: ['price'] })
  price(id: number) {
    return this.load(id);
  }
}

@Module({ providers: [PriceService] })
class PriceModule {}

describe('nestjs-layered-cache/testing: the engine without Redis, for consumers’ unit tests', () => {
  it('backs a module under test: decorators cache, tags invalidate, nothing to start', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CacheTestingModule.forRoot(), PriceModule],
    }).compile();
    const app = await moduleRef.init();
    const prices = app.get(PriceService);
    expect(await prices.price(2)).toEqual({ id: 2, price: 20 });
    expect(await prices.price(2)).toEqual({ id: 2, price: 20 });
    expect(prices.load).toHaveBeenCalledTimes(1);
    await app.get(CacheService).invalidateTags(['price']);
    await prices.price(2);
    expect(prices.load).toHaveBeenCalledTimes(2);
    expect(app.get(CacheService).stats().l2).toBeNull();
    await app.close();
  });

  it('gives a bare CacheService with single-flight getOrSet', async () => {
    const { cache, close } = await createTestingCache({ ttl: 60_000 });
    const loader = vi.fn(async () => 'v');
    const values = await Promise.all([1, 2, 3].map(() => cache.getOrSet('k', loader)));
    expect(values).toEqual(['v', 'v', 'v']);
    expect(loader).toHaveBeenCalledTimes(1);
    await close();
  });
});
