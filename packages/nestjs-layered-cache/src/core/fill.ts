import type { L2Write } from '../l2/l2-cache.js';
import type { CacheSetOptions } from './cache-entry.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { durationProblem } from './duration.js';
import { keyDep } from './local-tier.js';
import type { NamespacePath } from './namespace-path.js';

/** Module-wide defaults for a write, in ms. */
export interface FillDefaults {
  ttl: number;
  grace: number;
  /** ms; 0 for none. */
  loaderTimeout: number;
  /** How long after grace entries are kept for fail-safe, ms (0: not kept). */
  failSafe: number;
  /** Serialized values larger than this many bytes are not cached. */
  maxValueBytes: number;
}

/** One entry about to be written: its full key, what it depends on, and its lifetime (ms). */
export interface Fill {
  key: string;
  full: string;
  deps: readonly string[];
  ttl: number;
  grace: number;
  /** Kept after grace to stand in for a failing loader, ms. */
  failSafe: number;
  /** Loader timeout, ms (0: none). */
  timeout: number;
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
    ttl: duration(full, 'ttl', options.ttl ?? defaults.ttl, 1),
    grace: duration(full, 'grace', options.grace ?? defaults.grace, 0),
    failSafe: duration(full, 'failSafe', options.failSafe ?? defaults.failSafe, 0),
    timeout: duration(full, 'timeout', options.timeout ?? defaults.loaderTimeout, 0),
  };
}

/** Whole ms by the one duration rule (core/duration.ts); fractions from arithmetic like 1.1 * 1000 are rounded. */
function duration(full: string, name: string, value: number, min: number): number {
  const ms = Math.round(value);
  const problem = durationProblem(ms, min);
  if (problem) throw new CacheConfigError(`${name} for "${full}" ${problem}, got ${value}.`);
  return ms;
}

export function toWrite(fill: Fill, payload: Buffer): L2Write {
  return { key: fill.full, payload, ttl: fill.ttl, grace: fill.grace, failSafe: fill.failSafe, deps: fill.deps };
}
