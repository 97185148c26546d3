/**
 * Port of cache-manager 7 test/mdel.test.ts (jaredwray/cacheable, packages/cache-manager).
 * Adapted: `new Keyv()` is the Keyv CacheManagerModule builds over a real engine (L1 + Redis,
 * see engine.ts); faker replaced by crypto. Tests with several stores or `nonBlocking` are kept as
 * `it.skip`: CacheManagerModule rejects those options (one engine is the only store).
 */
import type { Keyv } from 'keyv';
import { createCache } from 'cache-manager';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { alpha, sample, sleep, useEngine } from './engine.js';

describe('mdel', () => {
  const engine = useEngine();
  let keyv: Keyv;
  let cache: ReturnType<typeof createCache>;
  let list = [] as Array<{ key: string; value: string }>;

  beforeEach(async () => {
    keyv = engine.keyv();
    cache = createCache({ stores: [keyv] });
    list = [
      { key: alpha(), value: sample() },
      { key: alpha(), value: sample() },
      { key: alpha(), value: sample() },
    ];
  });

  it('basic', async () => {
    await cache.mset(list);
    await expect(cache.get(list[0]!.key)).resolves.toEqual(list[0]!.value);
    await expect(cache.get(list[1]!.key)).resolves.toEqual(list[1]!.value);
    await expect(cache.get(list[2]!.key)).resolves.toEqual(list[2]!.value);
    await cache.mdel([list[0]!.key, list[1]!.key]);
    await expect(cache.get(list[0]!.key)).resolves.toBeUndefined();
    await expect(cache.get(list[1]!.key)).resolves.toBeUndefined();
    await expect(cache.get(list[2]!.key)).resolves.toEqual(list[2]!.value);
  });

  it('should work blocking', async () => {
    let resolveDeleted: (value: boolean) => void = () => undefined;
    const deletePromise = new Promise<boolean>((_resolve) => {
      resolveDeleted = _resolve;
    });
    const cache = createCache({ stores: [keyv], nonBlocking: false });
    await cache.mset(list);
    const delHandler = vi.spyOn(keyv, 'delete').mockReturnValue(deletePromise);
    const deleteResolved = vi.fn();
    const deleteRejected = vi.fn();
    // Adapted: kept in a variable and awaited at the end (our lint forbids a floating promise).
    const settled = cache
      .mdel(list.map(({ key }) => key))
      .catch(deleteRejected)
      .then(deleteResolved);
    expect(delHandler).toBeCalledTimes(list.length);
    await sleep(200);
    expect(deleteResolved).not.toBeCalled();
    expect(deleteRejected).not.toBeCalled();
    resolveDeleted(true);
    await vi.waitUntil(() => deleteResolved.mock.calls.length > 0);
    expect(deleteResolved).toBeCalled();
    expect(deleteRejected).not.toBeCalled();
    await settled;
  });

  it.skip('should work non-blocking (n/a: nonBlocking)', () => {});
});
