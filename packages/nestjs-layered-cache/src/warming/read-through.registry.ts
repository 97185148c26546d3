import type { CacheSetOptions } from '../core/cache-entry.js';
import { globToRegExp } from '../l1/l1-cache.js';

/** How to load a key matching a pattern: what refresh-ahead uses to reload hot keys. */
export interface ReadThrough {
  namespace: string;
  pattern: string;
  regex: RegExp;
  loader: (key: string) => unknown;
  options: (key: string) => CacheSetOptions;
}

export class ReadThroughRegistry {
  private readonly entries: ReadThrough[] = [];

  register(
    pattern: string,
    loader: (key: string) => unknown,
    options: CacheSetOptions | ((key: string) => CacheSetOptions) = {},
    namespace = '',
  ): void {
    this.entries.push({
      namespace,
      pattern,
      regex: globToRegExp(pattern),
      loader,
      options: typeof options === 'function' ? options : () => options,
    });
  }

  /** The first registration whose namespace (relative to the root) and pattern match. */
  find(namespace: string, key: string): ReadThrough | undefined {
    return this.entries.find((e) => e.namespace === namespace && e.regex.test(key));
  }

  get size(): number {
    return this.entries.length;
  }
}
