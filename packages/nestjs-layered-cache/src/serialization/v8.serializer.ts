import { deserialize, serialize } from 'node:v8';
import type { CacheSerializer } from './cache-serializer.interface.js';

/**
 * Node's structured-clone wire format: built in, fast, and type-preserving (Date, BigInt, Map, Set,
 * RegExp, Buffer, typed arrays, Error). Class instances come back as plain objects. V8 reads older
 * versions of its own format, so instances on different Node versions can share an L2.
 */
export class V8Serializer implements CacheSerializer {
  serialize(value: unknown): Buffer {
    return serialize(value);
  }

  deserialize(bytes: Buffer): unknown {
    return deserialize(bytes);
  }
}
