import type { Repository } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { entityTags, type CacheService } from '../../src/index.js';
import { Widget } from '../fixtures/widget.entity.js';
import { createCacheInstance, deferred, uniquePrefix, type CacheInstance } from '../helpers/cache-instance.js';
import { createTypeormCacheApp, type TypeormCacheApp } from '../helpers/typeorm-app.js';

describe('TypeORM invalidation at commit', () => {
  let t: TypeormCacheApp;
  let cache: CacheService;
  let repo: Repository<Widget>;
  let other: CacheInstance;

  beforeAll(async () => {
    const prefix = uniquePrefix('orm');
    t = await createTypeormCacheApp(prefix);
    cache = t.cache;
    repo = t.dataSource.getRepository(Widget);
    other = await createCacheInstance({ prefix, redis: { url: inject('redisUrl') } });
  });
  afterAll(async () => {
    await other?.close();
    await t?.app.close();
  });

  const newWidget = (groupId = 1) => repo.save(repo.create({ name: 'w', groupId }));
  /** Caches a row the way an application would: tagged with its row tags. */
  const cacheRow = (id: number, via: CacheService = cache) =>
    via.getOrSet(`widget:${id}`, async () => (await repo.findOneByOrFail({ id })).name, {
      tags: entityTags.row('widget', id),
    });

  it('bumps the row tag after commit, on this and other instances', async () => {
    const w = await newWidget();
    expect(await cacheRow(w.id)).toBe('w');
    expect(await cacheRow(w.id, other.cache)).toBe('w');
    await t.dataSource.transaction(async (tx) => {
      await tx.getRepository(Widget).save({ ...w, name: 'renamed' });
      // Not committed yet: the committed value is still the right answer.
      expect(await cache.get(`widget:${w.id}`)).toBe('w');
    });
    expect(await cache.get(`widget:${w.id}`)).toBeUndefined();
    expect(await cacheRow(w.id)).toBe('renamed');
    await vi.waitFor(async () => expect(await other.cache.get(`widget:${w.id}`)).not.toBe('w'));
    expect(await cacheRow(w.id, other.cache)).toBe('renamed');
  });

  it('invalidates each change once however many feature modules registered rules', async () => {
    const w = await newWidget(5);
    const events: (readonly string[])[] = [];
    const off = cache.on('invalidate', (e) => events.push(e.tags));
    try {
      await repo.save({ ...w, groupId: 6 });
      await vi.waitFor(() => expect(events.length).toBeGreaterThan(0));
      expect(events).toHaveLength(1);
      // The rule came from the second forFeature() and still applies.
      expect(events[0]).toEqual(expect.arrayContaining([`widget:${w.id}`, 'group:5', 'group:6']));
    } finally {
      off();
    }
  });

  it('drops the tags on rollback and never stores what a dirty transaction read', async () => {
    const w = await newWidget();
    expect(await cacheRow(w.id)).toBe('w');
    await cache.delete(`widget:${w.id}`);
    const refusedBefore = cache.stats().fillsRefused;
    await expect(
      t.dataSource.transaction(async (tx) => {
        await tx.getRepository(Widget).save({ ...w, name: 'dirty' });
        // A read inside the transaction sees the uncommitted row: returned, but not stored.
        const dirty = await cache.getOrSet(
          `widget:${w.id}`,
          async () => (await tx.getRepository(Widget).findOneByOrFail({ id: w.id })).name,
          { tags: entityTags.row('widget', w.id) },
        );
        expect(dirty).toBe('dirty');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(cache.stats().fillsRefused).toBe(refusedBefore + 1);
    expect(await cache.get(`widget:${w.id}`)).toBeUndefined();
    expect(await cacheRow(w.id)).toBe('w');
    // The rollback bumped nothing: the entry just stored stays valid.
    expect(await cache.get(`widget:${w.id}`)).toBe('w');
  });

  it('holds fills of pending tags while a transaction is open, from any caller in this process', async () => {
    const w = await newWidget();
    const inside = deferred();
    const finish = deferred();
    const tx = t.dataSource.transaction(async (manager) => {
      await manager.getRepository(Widget).save({ ...w, version: 1 });
      inside.resolve();
      await finish.promise;
    });
    await inside.promise;
    expect(await cacheRow(w.id)).toBe('w'); // another request reads the committed row...
    expect(await cache.get(`widget:${w.id}`)).toBeUndefined(); // ...but it is not stored meanwhile
    finish.resolve();
    await tx;
    expect(await cacheRow(w.id)).toBe('w');
    expect(await cache.get(`widget:${w.id}`)).toBe('w');
  });

  it('a caller outside a transaction never shares a load that read uncommitted data', async () => {
    const w = await newWidget();
    const gate = deferred();
    const loading = deferred();
    let inside: string | undefined;
    const tx = t.dataSource.transaction(async (manager) => {
      await manager.getRepository(Widget).save({ ...w, name: 'never-committed' });
      inside = await cache.getOrSet(
        `shared:${w.id}`,
        async () => {
          loading.resolve();
          await gate.promise;
          return (await manager.getRepository(Widget).findOneByOrFail({ id: w.id })).name;
        },
        { tags: entityTags.row('widget', w.id) },
      );
      throw new Error('roll back');
    });
    await loading.promise; // the in-transaction load is running: the outside call would join it
    const outside = cache.getOrSet(`shared:${w.id}`, async () => (await repo.findOneByOrFail({ id: w.id })).name, {
      tags: entityTags.row('widget', w.id),
    });
    await new Promise((r) => setTimeout(r, 20));
    gate.resolve();
    await expect(tx).rejects.toThrow('roll back');
    expect(inside).toBe('never-committed');
    expect(await outside).toBe('w');
  });

  it('invalidates by rule with the old and the new row (moving between groups)', async () => {
    const w = await newWidget(10);
    const group = (id: number) =>
      cache.getOrSet(`group:${id}`, async () => (await repo.findBy({ groupId: id })).map((x) => x.id), {
        tags: [`group:${id}`, entityTags.bulk('widget')],
      });
    expect(await group(10)).toContain(w.id);
    expect(await group(11)).not.toContain(w.id);
    await repo.save({ ...w, groupId: 11 });
    expect(await group(10)).not.toContain(w.id);
    expect(await group(11)).toContain(w.id);
  });

  it('an insert bumps the collection tag, not other rows', async () => {
    const w = await newWidget(20);
    expect(await cacheRow(w.id)).toBe('w');
    const count = () => cache.getOrSet('widget-count', () => repo.count(), { tags: [entityTags.collection('widget')] });
    const before = await count();
    await newWidget(20);
    expect(await count()).toBe(before + 1);
    expect(await cache.get(`widget:${w.id}`)).toBe('w');
  });

  it('repository.update(criteria) bumps the collection and bulk tags (it shows no rows)', async () => {
    const w = await newWidget(30);
    expect(await cacheRow(w.id)).toBe('w');
    const total = () => cache.getOrSet('widget-count', () => repo.count(), { tags: [entityTags.collection('widget')] });
    await total();
    await repo.update({ groupId: 30 }, { name: 'bulk-renamed' });
    expect(await cache.get(`widget:${w.id}`)).toBeUndefined();
    expect(await cache.get('widget-count')).toBeUndefined();
    expect(await cacheRow(w.id)).toBe('bulk-renamed');
  });

  it('repository.delete(criteria) and delete(id) invalidate the rows they remove', async () => {
    const a = await newWidget(40);
    const b = await newWidget(41);
    expect(await cacheRow(a.id)).toBe('w');
    expect(await cacheRow(b.id)).toBe('w');
    await repo.delete({ groupId: 40 });
    expect(await cache.get(`widget:${a.id}`)).toBeUndefined();
    await cacheRow(b.id);
    await repo.delete(b.id);
    expect(await cache.get(`widget:${b.id}`)).toBeUndefined();
    await expect(cacheRow(b.id)).rejects.toThrow();
  });

  it('bumps only when the outer transaction commits (savepoints)', async () => {
    const w = await newWidget();
    expect(await cacheRow(w.id)).toBe('w');
    await t.dataSource.transaction(async (manager) => {
      await manager.transaction(async (inner) => {
        await inner.getRepository(Widget).save({ ...w, name: 'nested' });
      });
      // The savepoint was released, the outer transaction is still open: nothing bumped yet.
      expect(await cache.get(`widget:${w.id}`)).toBe('w');
    });
    expect(await cache.get(`widget:${w.id}`)).toBeUndefined();
    expect(await cacheRow(w.id)).toBe('nested');
  });
});
