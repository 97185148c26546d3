import { CacheKeyError } from '../errors/cache-key.error.js';

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_KEY_LENGTH = 1024;
const MAX_TAG_LENGTH = 256;
// Control characters would break the dependency header stored with each entry.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Where a view of the cache lives. Keys are `<prefix>:<namespace>:<key>`, nested namespaces are
 * joined with `.` (`default.users`), and every entry depends on each namespace of its chain, so
 * clearing a namespace (one version bump) invalidates it and everything nested in it.
 */
export class NamespacePath {
  readonly keyPrefix: string;

  private constructor(
    readonly prefix: string,
    /** The dotted namespace path, e.g. `default.users`. */
    readonly name: string,
    /** The implicit dependencies of every entry here: `n:<each ancestor and self>`. */
    readonly deps: readonly string[],
  ) {
    this.keyPrefix = `${prefix}:${name}:`;
  }

  static root(prefix: string, name: string): NamespacePath {
    assertSegment(name);
    return new NamespacePath(prefix, name, [`n:${name}`]);
  }

  child(segment: string): NamespacePath {
    assertSegment(segment);
    const name = `${this.name}.${segment}`;
    return new NamespacePath(this.prefix, name, [...this.deps, `n:${name}`]);
  }

  keyOf(key: string): string {
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new CacheKeyError(
        `Cache key must be a non-empty string of at most ${MAX_KEY_LENGTH} characters; got ${describe(key)}. Hash long keys before caching.`,
      );
    }
    return this.keyPrefix + key;
  }

  /** This namespace's dependencies plus one `t:<tag>` per tag. */
  depsWith(tags: readonly string[] | undefined): readonly string[] {
    if (tags === undefined || tags.length === 0) return this.deps;
    return [...this.deps, ...tagDeps(tags)];
  }
}

/** True for a string usable as a tag (non-empty, ≤ 256 characters, no control characters). */
export function isValidTag(tag: unknown): tag is string {
  return typeof tag === 'string' && tag.length > 0 && tag.length <= MAX_TAG_LENGTH && !CONTROL.test(tag);
}

export function tagDeps(tags: readonly string[]): string[] {
  return tags.map((tag) => {
    if (!isValidTag(tag)) {
      throw new CacheKeyError(
        `Cache tag must be a non-empty string of at most ${MAX_TAG_LENGTH} characters without control characters; got ${describe(tag)}.`,
      );
    }
    return `t:${tag}`;
  });
}

function assertSegment(segment: string): void {
  if (typeof segment !== 'string' || !SEGMENT.test(segment)) {
    throw new CacheKeyError(
      `Cache namespace must match ${SEGMENT} (letters, digits, "_" or "-"); got ${describe(segment)}.`,
    );
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
}
