import { inject } from 'vitest';
import type { CacheModuleOptions } from '../../src/index.js';
import { uniquePrefix } from '../helpers/cache-instance.js';

/** The stacks every contract case runs against (the last: L1 under the W-TinyLFU policy). */
export const stackVariants: { name: string; options: () => CacheModuleOptions }[] = [
  { name: 'L1 only', options: () => ({ prefix: uniquePrefix('l1'), redis: false }) },
  { name: 'L2 only', options: () => ({ prefix: uniquePrefix('l2'), l1: false, redis: { url: inject('redisUrl') } }) },
  { name: 'L1 + L2', options: () => ({ prefix: uniquePrefix('l12'), redis: { url: inject('redisUrl') } }) },
  {
    name: 'L1 (tinylfu) + L2',
    options: () => ({ prefix: uniquePrefix('l12t'), l1: { policy: 'tinylfu' }, redis: { url: inject('redisUrl') } }),
  },
];
