import { createHash } from 'node:crypto';

export const CDC_OPTIONS = Symbol('CDC_INVALIDATION_OPTIONS');

/**
 * `nlc_<prefix>_<hash>`: slot names allow only [a-z0-9_] and 63 characters, so the prefix is
 * folded and shortened, and a hash of the real one keeps two prefixes that fold alike apart.
 */
export function defaultSlotName(prefix: string): string {
  const folded = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 40);
  return `nlc_${folded}_${createHash('sha256').update(prefix).digest('hex').slice(0, 8)}`;
}
