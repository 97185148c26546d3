/**
 * Turns values into bytes and back. One serializer serves L1 and L2, so both tiers return the same
 * shape. The default (`V8Serializer`) preserves Date, BigInt, Map, Set, Buffer and typed arrays.
 */
export interface CacheSerializer {
  serialize(value: unknown): Buffer;
  deserialize(bytes: Buffer): unknown;
}

export const CacheSerializer = Symbol('CacheSerializer');
