import type { CacheService } from '../cache.service.js';
import type { CacheView } from '../cache-view.js';
import type { CacheSetOptions } from '../core/cache-entry.js';
import type { Loader } from '../core/cache-stack.js';
import type { WarmContext } from './warming.interface.js';

/** One warmer run's context; `items` counts entries actually stored. */
export class RunContext implements WarmContext {
  items = 0;

  constructor(
    readonly warmer: string,
    private readonly cache: CacheService,
    private readonly concurrency: number,
    private readonly report: (done: number, total: number) => Promise<void>,
  ) {}

  progress(done: number, total: number): Promise<void> {
    return this.report(done, total);
  }

  async warm<T>(key: string, loader: Loader<T>, options: CacheSetOptions & { namespace?: string } = {}): Promise<T> {
    const { namespace, ...set } = options;
    let view: CacheView = this.cache;
    for (const segment of namespace?.split('.') ?? []) view = view.namespace(segment);
    const { value, stored } = await view.refresh(key, loader, set);
    if (stored) this.items++;
    return value;
  }

  async each<I>(items: readonly I[], fn: (item: I) => Promise<unknown>): Promise<void> {
    let next = 0;
    let done = 0;
    const lane = async () => {
      while (next < items.length) {
        await fn(items[next++]!);
        done++;
        if (done % Math.max(1, Math.floor(items.length / 20)) === 0 || done === items.length) {
          await this.report(done, items.length);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, lane));
  }
}
