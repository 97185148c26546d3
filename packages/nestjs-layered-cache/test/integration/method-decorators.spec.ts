import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Cacheable, CacheEvict, CacheKeyError, CacheModule, CachePut, CacheService } from '../../src/index.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

interface Product {
  id: number;
  name: string;
}

/** Stands in for a repository: counts how often the "database" is hit. */
class Store {
  calls = 0;
  rows = new Map<number, Product>([[1, { id: 1, name: 'one' }]]);
}

abstract class BaseCatalog {
  readonly store = new Store();

  @Cacheable({ key: 'product:{0}', tags: ['product:{0}'], ttl: 60_000 })
  async find(id: number): Promise<Product | null> {
    this.store.calls++;
    return this.store.rows.get(id) ?? null;
  }
}

/** Inherits the decorated `find`; adds its own decorated methods. */
@Injectable()
class Catalog extends BaseCatalog {
  @CacheEvict({ keys: ['product:{0}'], tags: ['products'] })
  async rename(id: number, name: string): Promise<void> {
    this.store.rows.set(id, { id, name });
  }

  @CachePut({ key: 'product:{0.id}', tags: ['product:{0.id}'] })
  async save(product: Product): Promise<Product> {
    this.store.rows.set(product.id, product);
    return product;
  }

  @Cacheable({ key: (...args: number[]) => `sum:${args.join('+')}`, tags: () => ['sums'], namespace: 'math' })
  async sum(...numbers: number[]): Promise<number> {
    this.store.calls++;
    return numbers.reduce((a, b) => a + b, 0);
  }

  @CacheEvict({ tags: ['sums'], namespace: 'math' })
  async failingWrite(): Promise<void> {
    throw new Error('write failed');
  }

  @CacheEvict({ tags: ['sums'], namespace: 'math', beforeInvocation: true })
  async failingWriteEvictingFirst(): Promise<void> {
    throw new Error('write failed');
  }
}

@Module({ providers: [Catalog] })
class CatalogModule {}

describe('method decorators (@Cacheable, @CacheEvict, @CachePut) on real Redis', () => {
  let catalog: Catalog;
  let cache: CacheService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CacheModule.forRoot({ isGlobal: true, prefix: uniquePrefix('deco'), redis: { url: inject('redisUrl') } }),
        CatalogModule,
      ],
    }).compile();
    const app = await moduleRef.init();
    catalog = app.get(Catalog);
    cache = app.get(CacheService);
    close = () => app.close();
  });
  afterAll(() => close());

  it('@Cacheable (inherited from a base class) runs the method once per key and caches the result', async () => {
    const calls = catalog.store.calls;
    expect(await catalog.find(1)).toEqual({ id: 1, name: 'one' });
    expect(await catalog.find(1)).toEqual({ id: 1, name: 'one' });
    expect(catalog.store.calls).toBe(calls + 1);
    expect(await cache.get('product:1')).toEqual({ id: 1, name: 'one' });
  });

  it('@CacheEvict deletes the key after the method resolved, so the next read reloads', async () => {
    await catalog.find(1);
    await catalog.rename(1, 'renamed');
    expect(await cache.get('product:1')).toBeUndefined();
    expect(await catalog.find(1)).toEqual({ id: 1, name: 'renamed' });
  });

  it('@CachePut stores what the method returns under the templated key', async () => {
    const calls = catalog.store.calls;
    await catalog.save({ id: 5, name: 'five' });
    expect(await catalog.find(5)).toEqual({ id: 5, name: 'five' });
    expect(catalog.store.calls).toBe(calls);
  });

  it('supports key and tag functions and namespaces', async () => {
    const calls = catalog.store.calls;
    expect(await catalog.sum(1, 2, 3)).toBe(6);
    expect(await catalog.sum(1, 2, 3)).toBe(6);
    expect(catalog.store.calls).toBe(calls + 1);
    expect(await cache.namespace('math').get('sum:1+2+3')).toBe(6);
  });

  it('evicts nothing when the method throws, unless asked to evict before invocation', async () => {
    await catalog.sum(4, 4);
    await expect(catalog.failingWrite()).rejects.toThrow('write failed');
    expect(await cache.namespace('math').get('sum:4+4')).toBe(8);
    await expect(catalog.failingWriteEvictingFirst()).rejects.toThrow('write failed');
    expect(await cache.namespace('math').get('sum:4+4')).toBeUndefined();
  });

  it('rejects a key that cannot be built from the arguments, naming the template', async () => {
    await expect(catalog.save({ name: 'no id' } as Product)).rejects.toThrow(CacheKeyError);
  });
});
