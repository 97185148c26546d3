import { CacheSerializationError } from '../errors/cache-serialization.error.js';
import type { SharedEntry } from '../l1/l1-cache.js';
import { freezeIfPlain } from '../l1/value-guard.js';
import type { L2RawEntry } from '../l2/l2-cache.js';
import { parseDeps, parseMeta, totalLifetime, type Lifetime } from '../l2/l2-entry-format.js';
import type { PayloadCodec } from '../serialization/payload.codec.js';

/**
 * Turns values into stored bytes and bytes into entries. Every entry holds the cache's own decoded
 * copy of the value, deep-frozen when it is plain data, so all paths return the same shape.
 */
export class EntryCodec {
  /**
   * Parsed metadata and dependency headers by their text. Entries of one namespace share both (a
   * header changes only when a version it records moves), and parsing costs more than a lookup.
   * The parsed forms are frozen: entries share them.
   */
  private readonly metas = new Map<string, Lifetime>();
  private readonly headers = new Map<string, readonly string[]>();

  constructor(private readonly codec: PayloadCodec) {}

  /** Throws `CacheSerializationError` naming `full` for values the cache cannot store. */
  encode(full: string, value: unknown): Buffer {
    if (value === undefined) {
      throw new CacheSerializationError(full, new Error('undefined means "absent" to the cache; store null instead'));
    }
    try {
      return this.codec.encode(value);
    } catch (error) {
      throw new CacheSerializationError(full, error);
    }
  }

  /** The entry for bytes this process just encoded: fresh for `ttl` ms, stale for `grace`, kept for `failSafe`. */
  local(full: string, payload: Buffer, deps: readonly string[], now: number, life: Lifetime): SharedEntry {
    try {
      return this.entry(payload, deps, now, life.ttl, life);
    } catch (error) {
      throw new CacheSerializationError(full, error);
    }
  }

  /**
   * The entry for bytes read from Redis; its remaining freshness comes from Redis's PTTL, so no
   * clock is compared across machines. Throws if the bytes cannot be decoded.
   */
  remote(raw: L2RawEntry, now: number): SharedEntry {
    const life = remember(this.metas, raw.meta, parseMeta);
    const deps = remember(this.headers, raw.header, parseDeps);
    const entry = this.entry(raw.payload, deps, now, raw.pttl - life.grace - life.failSafe, life);
    entry.storedAt = now - (totalLifetime(life) - raw.pttl);
    return entry;
  }

  /** `fresh`: ms of freshness left from `now`. */
  private entry(payload: Buffer, deps: readonly string[], now: number, fresh: number, life: Lifetime): SharedEntry {
    const value = this.codec.decode(payload);
    const shared = freezeIfPlain(value);
    const freshUntil = now + fresh;
    const staleUntil = freshUntil + life.grace;
    return { value, shared, deps, storedAt: now, freshUntil, staleUntil, keepUntil: staleUntil + life.failSafe };
  }
}

/** Distinct texts remembered per map; past that it starts over (versions move, texts pile up). */
const REMEMBERED = 512;

function remember<T extends object>(known: Map<string, T>, text: string, parse: (text: string) => T): T {
  let parsed = known.get(text);
  if (parsed === undefined) {
    parsed = Object.freeze(parse(text)); // throws on corrupt text: nothing remembered
    if (known.size >= REMEMBERED) known.clear();
    known.set(text, parsed);
  }
  return parsed;
}
