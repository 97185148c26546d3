import type { KeyTemplate, TagsTemplate } from './key-template.js';

/** `@Cacheable`: return the cached result, or run the method and cache what it returns. */
export interface CacheableOptions {
  /** Key template over the arguments, e.g. `'product:{0}'`, or a function of the arguments. */
  key: KeyTemplate;
  /** Freshness, ms. Default: the module's `ttl`. */
  ttl?: number;
  /** Stale-while-revalidate window after `ttl`, ms. */
  grace?: number;
  /** Tag templates, e.g. `['product:{0}', 'products']`, or a function of the arguments. */
  tags?: TagsTemplate;
  /** Namespace (nested in the root one) for the keys. Default: the root namespace. */
  namespace?: string;
}

/** `@CacheEvict`: after the method resolves, delete keys and invalidate tags. */
export interface CacheEvictOptions {
  keys?: readonly KeyTemplate[];
  tags?: TagsTemplate;
  namespace?: string;
  /** Evict before running the method instead of after it succeeded. Default false. */
  beforeInvocation?: boolean;
}

/** `@CachePut`: always run the method and store its result under `key`. */
export interface CachePutOptions {
  key: KeyTemplate;
  ttl?: number;
  grace?: number;
  tags?: TagsTemplate;
  namespace?: string;
}
