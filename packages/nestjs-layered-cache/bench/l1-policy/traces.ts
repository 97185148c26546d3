/**
 * Seeded synthetic access traces for the L1 policy benchmark: every run yields the same keys in
 * the same order, so LRU and TinyLFU are compared on identical input.
 */

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws ranks 0..n-1 with P(rank k) ∝ 1 / (k + 1)^s, by binary search over the cumulative weights. */
export function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cdf[k] = total += 1 / (k + 1) ** s;
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * The share of requests that go to the `top` most popular of `n` Zipf(s) keys: the hit ratio of
 * a cache of `top` entries that always holds exactly those. On a trace whose requests are drawn
 * independently (Zipf) no online policy can expect more (Aho, Denning and Ullman, 1971, policy
 * A0), so it is the ceiling a policy's hit ratio is judged against.
 */
export function zipfTopShare(n: number, s: number, top: number): number {
  let head = 0;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const weight = 1 / (k + 1) ** s;
    total += weight;
    if (k < top) head += weight;
  }
  return head / total;
}

/** A random permutation of 0..n-1, so a key's popularity says nothing about its name. */
function shuffled(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const key = (space: string, i: number) => `${space}:${i}`;

/** Zipf(s) over `distinct` keys. */
export function zipfTrace(distinct: number, s: number, length: number, seed: number): string[] {
  const random = seededRandom(seed);
  const names = shuffled(distinct, random);
  const next = zipfSampler(distinct, s, random);
  return Array.from({ length }, () => key('z', names[next()]!));
}

/**
 * Zipf(s) over `distinct` keys, interrupted every `every` requests by a sequential scan of
 * `scanLength` keys from a separate, much larger key space (a report, a batch export, a crawler).
 */
export function zipfWithScansTrace(
  distinct: number,
  s: number,
  length: number,
  every: number,
  scanLength: number,
  seed: number,
): string[] {
  const random = seededRandom(seed);
  const names = shuffled(distinct, random);
  const next = zipfSampler(distinct, s, random);
  const trace: string[] = [];
  let scanned = 0;
  while (trace.length < length) {
    for (let i = 0; i < every && trace.length < length; i++) trace.push(key('z', names[next()]!));
    for (let i = 0; i < scanLength && trace.length < length; i++) trace.push(key('scan', scanned++));
  }
  return trace;
}

/** The same `loopLength` keys requested in order, over and over. */
export function loopTrace(loopLength: number, length: number): string[] {
  return Array.from({ length }, (_, i) => key('loop', i % loopLength));
}

/**
 * A hot set of `hot` keys takes `hotShare` of the requests (uniformly within it), the rest is
 * uniform over `distinct` keys; every `shiftEvery` requests the hot set moves to other keys.
 */
export function shiftingHotSetTrace(
  distinct: number,
  hot: number,
  hotShare: number,
  shiftEvery: number,
  length: number,
  seed: number,
): string[] {
  const random = seededRandom(seed);
  return Array.from({ length }, (_, i) => {
    if (random() >= hotShare) return key('u', Math.floor(random() * distinct));
    const phase = Math.floor(i / shiftEvery);
    return key('hot', phase * hot + Math.floor(random() * hot));
  });
}
