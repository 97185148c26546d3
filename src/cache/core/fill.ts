import type { L2Write } from '../l2/l2-cache.js';
import type { CacheSetOptions } from './cache-entry.js';
import { keyDep } from './local-tier.js';
import type { NamespacePath } from './namespace-path.js';

/** Module-wide defaults for a write, in ms. */
export interface FillDefaults {
  ttl: number;
  grace: number;
}

/** One entry about to be written: its full key, what it depends on, and its lifetime (ms). */
export interface Fill {
  key: string;
  full: string;
  deps: readonly string[];
  ttl: number;
  grace: number;
}

export function fillOf(
  defaults: FillDefaults,
  ns: NamespacePath,
  key: string,
  full: string,
  options: CacheSetOptions,
): Fill {
  const deps = ns.depsWith(options.tags);
  return {
    key,
    full,
    deps: options.dependsOn?.length ? [...deps, ...options.dependsOn.map((k) => keyDep(ns.keyOf(k)))] : deps,
    ttl: options.ttl ?? defaults.ttl,
    grace: options.grace ?? defaults.grace,
  };
}

export function toWrite(fill: Fill, payload: Buffer): L2Write {
  return { key: fill.full, payload, ttl: fill.ttl, grace: fill.grace, deps: fill.deps };
}
