export { Cacheable } from './cacheable.decorator.js';
export { CacheEvict } from './cache-evict.decorator.js';
export { CachePut } from './cache-put.decorator.js';
export { CacheDecoratorsExplorer } from './cache-decorators.explorer.js';
export type { CacheableOptions, CacheEvictOptions, CachePutOptions } from './cache-decorators.interface.js';
export type { KeyTemplate, TagsTemplate } from './key-template.js';
