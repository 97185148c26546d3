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

/** Fresh bits for picking a key's counters inside its block (the block took the low bits). */
function rehash(hash: number): number {
  return Math.imul(hash, 0x9e3779b1) ^ (hash >>> 16);
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

/** 16 words of 32 bits: one 64-byte cache line. Each of a key's 4 counters is in its block. */
const BLOCK_SHIFT = 4;

/**
 * How often each key was seen recently: a count-min sketch of 4-bit counters, the TinyLFU
 * frequency filter. A key's 4 counters sit in one 64-byte block (one memory access per lookup,
 * as in Caffeine): the low bits of its hash pick the block, the high bits of a rehash pick one
 * of 32 counters in each quarter of it. After `sampleSize` increments every counter is halved,
 * so old popularity fades and a once-hot key cannot squat forever.
 */
export class FrequencySketch {
  /** Int32, not Uint32: a top nibble ≥ 8 would make every read a heap double instead of an int. */
  private readonly table: Int32Array;
  private readonly blockMask: number;
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
    this.blockMask = (words >>> BLOCK_SHIFT) - 1;
    this.sampleSize = 10 * entries;
  }

  /** The estimated number of recent occurrences of the key with this hash (0–15). */
  frequency(hash: number): number {
    const block = (hash & this.blockMask) << BLOCK_SHIFT;
    const h = rehash(hash);
    const t = this.table;
    let min = (t[block + (h & 3)]! >>> ((h >>> 2) & 28)) & 0xf;
    let count = (t[block + 4 + ((h >>> 8) & 3)]! >>> ((h >>> 10) & 28)) & 0xf;
    if (count < min) min = count;
    count = (t[block + 8 + ((h >>> 16) & 3)]! >>> ((h >>> 18) & 28)) & 0xf;
    if (count < min) min = count;
    count = (t[block + 12 + ((h >>> 24) & 3)]! >>> ((h >>> 26) & 28)) & 0xf;
    return count < min ? count : min;
  }

  /** Counts one occurrence; every `sampleSize` counted occurrences, ages all counters. */
  increment(hash: number): void {
    const block = (hash & this.blockMask) << BLOCK_SHIFT;
    const h = rehash(hash);
    // Each quarter of the block is one row: word (row·4 + 2 bits of h), nibble (3 bits of h).
    // Unrolled, and every shift masked at once: a `>>>` result kept in a variable may be a double.
    // The word offsets are or-ed into the block's (zero) low bits: unlike `+`, no overflow check.
    const added =
      this.add(block | (h & 3), (h >>> 2) & 28) |
      this.add(block | 4 | ((h >>> 8) & 3), (h >>> 10) & 28) |
      this.add(block | 8 | ((h >>> 16) & 3), (h >>> 18) & 28) |
      this.add(block | 12 | ((h >>> 24) & 3), (h >>> 26) & 28);
    // `added` is 0 or 1; without it `additions` is below `sampleSize` already.
    const additions = this.additions + added;
    this.additions = additions;
    if (additions >= this.sampleSize) this.reset();
  }

  /**
   * Counts an occurrence kept outside the table (a resident entry's own counter, see
   * TinyLfuStore): it still brings the next aging closer, as an increment would.
   */
  countAddition(): void {
    if (++this.additions >= this.sampleSize) this.reset();
  }

  /**
   * Raises the key's 4 counters to at least `count` (0–15): folds back a count kept outside the
   * table, so the key's popularity outlives its eviction.
   */
  raise(hash: number, count: number): void {
    const block = (hash & this.blockMask) << BLOCK_SHIFT;
    const h = rehash(hash);
    this.raiseAt(block | (h & 3), (h >>> 2) & 28, count);
    this.raiseAt(block | 4 | ((h >>> 8) & 3), (h >>> 10) & 28, count);
    this.raiseAt(block | 8 | ((h >>> 16) & 3), (h >>> 18) & 28, count);
    this.raiseAt(block | 12 | ((h >>> 24) & 3), (h >>> 26) & 28, count);
  }

  private raiseAt(index: number, shift: number, count: number): void {
    const word = this.table[index]!;
    const current = (word >>> shift) & 0xf;
    if (current < count) this.table[index] = (word + ((count - current) << shift)) | 0;
  }

  /**
   * Adds one to the counter at bit `shift` of word `index` unless it is saturated; 1 if it did.
   * Branch-free: whether a hit key's counter is full is a coin flip the CPU cannot predict, and
   * each mispredicted branch cost more than the whole add.
   */
  private add(index: number, shift: number): number {
    const word = this.table[index]!;
    const room = ((((word >>> shift) & 0xf) + 1) >>> 4) ^ 1;
    this.table[index] = (word + (room << shift)) | 0;
    return room;
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
