/**
 * What an L1 entry really costs in memory, estimated once when it is stored. L1 keeps the decoded
 * value, not its bytes: object headers, property slots, boxed doubles and two-byte strings make it
 * several times its serialized size (bench/l1-memory.bench.ts measures it). The constants are
 * V8's sizes on 64-bit Node without pointer compression (the default build), calibrated against
 * heap growth after GC: a word is 8 bytes, every heap object starts with its map pointer.
 */

/** JSObject: map, properties, elements + the 4 in-object slots objects created by the deserializer get. */
const OBJECT = 56;
const IN_OBJECT_SLOTS = 4;
/** Properties past the in-object slots live in a PropertyArray (header + slots, grown 3 at a time). */
const PROPERTY_ARRAY = 16;
/** JSArray (map, properties, elements, length) + its FixedArray header. */
const ARRAY = 48;
const WORD = 8;
/** String header (map, hash, length); characters are padded to a word. */
const STRING = 16;
/** A double (or an integer outside the 31-bit Smi range) is a boxed HeapNumber. */
const HEAP_NUMBER = 16;
/** JSDate: header, time value and its cached fields (year, month, day…). */
const DATE = 96;
/** JSMap/JSSet + the OrderedHashTable header (bucket count, element counts). */
const HASH_COLLECTION = 56;
/** JSTypedArray / DataView on the heap; its JSArrayBuffer is counted with the backing store. */
const VIEW = 96;
const ARRAY_BUFFER = 96;
/** RegExp, Error and other objects the serializer can produce: roughly an object with a few slots. */
const OTHER = 64;

/** Past this many nodes the walk stops and the rest is extrapolated from the serialized size. */
export const FOOTPRINT_WALK_LIMIT = 20_000;
/** Decoded values measure 1–3× their serialized size (bench/results/l1-memory.md); the upper end when guessing. */
export const SERIALIZED_FACTOR = 3;

/**
 * The heap a decoded value retains, in bytes: each object counted once (shared references stay
 * shared), binary data by the ArrayBuffers it keeps alive (a view on a larger buffer keeps all of
 * it). Stops at `limit` bytes (the caller only needs to know it is too big) and after
 * `FOOTPRINT_WALK_LIMIT` nodes, then answers at least `serializedBytes × SERIALIZED_FACTOR`.
 */
export function valueFootprint(value: unknown, serializedBytes: number, limit = Infinity): number {
  if (value === null || typeof value !== 'object') return primitiveFootprint(value);
  const walk = new FootprintWalk(limit);
  walk.visit(value);
  return walk.complete ? walk.bytes : Math.max(walk.bytes, serializedBytes * SERIALIZED_FACTOR);
}

/** Bytes of the characters plus header: two per character once any is outside Latin-1. */
export function stringFootprint(value: string): number {
  const perChar = NON_LATIN1.test(value) ? 2 : 1;
  return STRING + roundToWord(value.length * perChar);
}

const NON_LATIN1 = /[\u0100-\uffff]/;
const roundToWord = (n: number): number => Math.ceil(n / WORD) * WORD;
const isSmi = (n: number): boolean => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 && !Object.is(n, -0);

function primitiveFootprint(value: unknown): number {
  switch (typeof value) {
    case 'string':
      // One-character strings come from V8's shared single-character table.
      return value.length <= 1 ? 0 : stringFootprint(value);
    case 'number':
      return isSmi(value) ? 0 : HEAP_NUMBER;
    case 'bigint':
      return HEAP_NUMBER + roundToWord(Math.ceil(value.toString(16).length / 2));
    default:
      // null, undefined, booleans, symbols: immortal oddballs, a slot in the parent.
      return 0;
  }
}

class FootprintWalk {
  bytes = 0;
  private nodes = 0;
  private readonly seen = new Set<object>();

  constructor(private readonly limit: number) {}

  get complete(): boolean {
    return this.nodes <= FOOTPRINT_WALK_LIMIT && this.bytes <= this.limit;
  }

  visit(value: unknown): void {
    if (++this.nodes > FOOTPRINT_WALK_LIMIT || this.bytes > this.limit) return;
    if (value === null || typeof value !== 'object') {
      this.bytes += primitiveFootprint(value);
      return;
    }
    if (this.seen.has(value)) return;
    this.seen.add(value);
    // Plain objects and arrays first: nearly every node of cached data is one.
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === Object.prototype || proto === null) this.object(value);
    else if (Array.isArray(value)) {
      this.bytes += ARRAY + WORD * value.length;
      for (const item of value as unknown[]) this.visit(item);
    } else if (ArrayBuffer.isView(value)) {
      this.bytes += VIEW;
      this.backingStore(value.buffer);
    } else if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
      this.backingStore(value);
    } else if (value instanceof Date) {
      this.bytes += DATE;
    } else if (value instanceof Map) {
      this.bytes += hashTable(value.size, 3);
      for (const [k, v] of value) {
        this.visit(k);
        this.visit(v);
      }
    } else if (value instanceof Set) {
      this.bytes += hashTable(value.size, 2);
      for (const item of value) this.visit(item);
    } else {
      this.bytes += OTHER;
      this.object(value);
    }
  }

  private object(value: object): void {
    const keys = Object.keys(value);
    const count = keys.length;
    for (let i = 0; i < count; i++) this.visit((value as Record<string, unknown>)[keys[i]!]);
    this.bytes += OBJECT;
    if (count > IN_OBJECT_SLOTS) this.bytes += PROPERTY_ARRAY + WORD * 3 * Math.ceil((count - IN_OBJECT_SLOTS) / 3);
  }

  private backingStore(buffer: ArrayBufferLike): void {
    if (this.seen.has(buffer)) return;
    this.seen.add(buffer);
    this.bytes += ARRAY_BUFFER + buffer.byteLength;
  }
}

/** OrderedHashMap (3 words an entry) / OrderedHashSet (2): power-of-two capacity, half as many buckets. */
function hashTable(size: number, wordsPerEntry: number): number {
  const capacity = Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(1, size))));
  return HASH_COLLECTION + WORD * (capacity / 2 + capacity * wordsPerEntry);
}

/** The record L1 keeps per entry (value, deps, four timestamps as HeapNumbers, size…) and its LRU slot. */
const RECORD = 200;
/** A key's slot in the LRU's Map (hash table entry and its share of the growth slack). */
const LRU_SLOT = 40;
/** A key's slot in a dependency's Set of the index, with growth slack. */
const INDEX_SLOT = 32;
/** A new dependency in the index: its Map slot and an empty Set. */
const INDEX_SET = 200;

/**
 * What storing `key` with `deps` costs besides the value: the record, the key string, the LRU's
 * slot, the deps array and strings, and the dependency index (`isIndexed`: whether a dependency
 * already has a Set there).
 */
export function entryOverhead(key: string, deps: readonly string[], isIndexed: (dep: string) => boolean): number {
  let bytes = RECORD + LRU_SLOT + stringFootprint(key) + (deps.length > 0 ? ARRAY + WORD * deps.length : 0);
  for (const dep of deps) bytes += stringFootprint(dep) + INDEX_SLOT + (isIndexed(dep) ? 0 : INDEX_SET);
  return bytes;
}
