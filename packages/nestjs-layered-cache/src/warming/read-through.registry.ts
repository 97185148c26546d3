import type { CacheSetOptions } from '../core/cache-entry.js';
import { globMatcher, type GlobMatcher } from '../l1/glob-pattern.js';

/** How to load a key matching a pattern: what refresh-ahead uses to reload hot keys. */
export interface ReadThrough {
  namespace: string;
  pattern: string;
  matches: GlobMatcher;
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
      matches: globMatcher(pattern),
      loader,
      options: typeof options === 'function' ? options : () => options,
    });
  }

  /** The first registration whose namespace (relative to the root) and pattern match. */
  find(namespace: string, key: string): ReadThrough | undefined {
    return this.entries.find((e) => e.namespace === namespace && e.matches(key));
  }

  get size(): number {
    return this.entries.length;
  }
}
