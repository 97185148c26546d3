/** Largest table: 2^22 words (16 MiB), enough for ~2 million entries at full accuracy. */
const MAX_WORDS = 1 << 22;
const ONE_BIT_PER_NIBBLE = 0x11111111;
const HALVE_MASK = 0x77777777;

/** Avalanche step of MurmurHash3: every input bit affects every output bit. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A 32-bit hash of `key`, salted by `seed` so an attacker cannot precompute colliding keys.
 * Signed: an int32 is stored unboxed in the node, an unsigned value ≥ 2^31 would be a heap double.
 */
export function hashKey(key: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return mix32(h) | 0;
}

/**
 * How often each key was seen recently: a count-min sketch of 4-bit counters (4 rows, 8
 * counters to a 32-bit word), the TinyLFU frequency filter. After `sampleSize` increments every
 * counter is halved, so old popularity fades and a once-hot key cannot squat forever.
 */
export class FrequencySketch {
  /** Int32, not Uint32: a top nibble ≥ 8 would make every read a heap double instead of an int. */
  private readonly table: Int32Array;
  private readonly mask: number;
  /** Increments since the last halving. */
  private additions = 0;
  /** Increments between two halvings: 10× the number of entries the cache holds. */
  readonly sampleSize: number;
  /** Halvings so far (observable for tests and stats). */
  resets = 0;

  constructor(expectedEntries: number) {
    const entries = Math.max(16, Math.min(Math.floor(expectedEntries), MAX_WORDS / 2));
    // Two words (16 counters) per expected entry, as Caffeine sizes its table.
    const words = Math.min(MAX_WORDS, 2 ** Math.ceil(Math.log2(entries * 2)));
    this.table = new Int32Array(words);
    this.mask = words - 1;
    this.sampleSize = 10 * entries;
  }

  /** The estimated number of recent occurrences of the key with this hash (0–15). */
  frequency(hash: number): number {
    // Double hashing: row i reads word (hash + i·step), the step a rotation of the (mixed) hash.
    const step = (hash >>> 13) | (hash << 19) | 1;
    const start = (hash & 1) << 2;
    let min = 15;
    for (let row = 0; row < 4; row++) {
      const word = this.table[(hash + Math.imul(row, step)) & this.mask]!;
      const count = (word >>> ((start + row) << 2)) & 0xf;
      if (count < min) min = count;
    }
    return min;
  }

  /** Counts one occurrence; every `sampleSize` counted occurrences, ages all counters. */
  increment(hash: number): void {
    const step = (hash >>> 13) | (hash << 19) | 1;
    const start = (hash & 1) << 2;
    let added = false;
    for (let row = 0; row < 4; row++) {
      const index = (hash + Math.imul(row, step)) & this.mask;
      const shift = (start + row) << 2;
      const word = this.table[index]!;
      if (((word >>> shift) & 0xf) !== 0xf) {
        this.table[index] = (word + (1 << shift)) | 0;
        added = true;
      }
    }
    if (added && ++this.additions >= this.sampleSize) this.reset();
  }

  /** Halves every counter (the "aging" step of TinyLFU). */
  reset(): void {
    let odd = 0;
    for (let i = 0; i < this.table.length; i++) {
      const word = this.table[i]!;
      odd += popcount(word & ONE_BIT_PER_NIBBLE);
      this.table[i] = (word >>> 1) & HALVE_MASK;
    }
    // Each key sits in 4 counters: the truncated halves are worth odd / 4 additions.
    this.additions = Math.max(0, (this.additions - (odd >>> 2)) >>> 1);
    this.resets++;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
