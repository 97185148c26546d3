import { describeCacheContract } from './cache-contract.suite.js';
import { stackVariants } from './stack-variants.js';

for (const { name, options } of stackVariants) describeCacheContract(name, options);
