/** How long an entry lives, ms: fresh for `ttl`, then stale for `grace`, then kept for `failSafe`. */
export interface Lifetime {
  ttl: number;
  grace: number;
  failSafe: number;
}

/** How long Redis keeps an entry, ms. */
export const totalLifetime = (life: Lifetime): number => life.ttl + life.grace + life.failSafe;

/** `"<ttl>,<grace>,<failSafe>"` in ms: remaining freshness is derived from it and the key's PTTL. */
export const formatMeta = (life: Lifetime): string => `${life.ttl},${life.grace},${life.failSafe}`;

const WHOLE_MS = /^\d{1,15}$/;

/**
 * The lifetime an entry was written with. Entries written before fail-safe existed have two
 * fields (their fail-safe time is 0). Throws on anything else: the entry is corrupt.
 */
export function parseMeta(meta: string): Lifetime {
  const fields = meta.split(',');
  if ((fields.length !== 2 && fields.length !== 3) || !fields.every((f) => WHOLE_MS.test(f))) {
    throw new Error(`malformed entry metadata "${meta.slice(0, 40)}"`);
  }
  const [ttl, grace, failSafe = 0] = fields.map(Number) as [number, number, number?];
  return { ttl, grace, failSafe };
}

/**
 * The dependencies in a header `"dep\nversion\ndep\nversion\n"`. Every entry depends at least on
 * its namespace, so an empty or ragged header is corrupt (it would detach the entry from its tags).
 */
export function parseDeps(header: string): string[] {
  const lines = header.split('\n');
  if (lines.length < 3 || lines.length % 2 === 0 || lines.pop() !== '') {
    throw new Error(`malformed dependency header "${header.slice(0, 40)}"`);
  }
  const deps: string[] = [];
  for (let i = 0; i < lines.length; i += 2) {
    if (lines[i] === '' || !/^\d+$/.test(lines[i + 1]!)) throw new Error('malformed dependency header');
    deps.push(lines[i]!);
  }
  return deps;
}
