import { DefaultDeserializer, serialize } from 'node:v8';
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
    const deserializer = new OwnBytesDeserializer(bytes);
    deserializer.readHeader();
    return deserializer.readValue();
  }
}

type View = Buffer | Exclude<NodeJS.TypedArray, Buffer> | DataView;
type ViewConstructor = new (buffer: ArrayBuffer, byteOffset?: number, length?: number) => View;
/** Node's own hook (documented, missing from @types/node). */
const readHostObject = (
  DefaultDeserializer.prototype as unknown as { _readHostObject(this: DefaultDeserializer): View }
)._readHostObject;

/**
 * `v8.deserialize`, except that a Buffer or typed array never keeps much more memory alive than its
 * own bytes. Node's returns views on the memory of the payload (or of whatever buffer the payload is
 * itself a slice of): a 1 KB Buffer encoded here kept the 8 KB pool slab its payload came from
 * alive. Such a view is copied; one spanning most of its buffer is kept.
 */
class OwnBytesDeserializer extends DefaultDeserializer {
  _readHostObject(): unknown {
    const view = readHostObject.call(this);
    // Most of its buffer (a payload that is all binary): copying would only cost time.
    if (view.byteLength * 2 >= view.buffer.byteLength) return view;
    const own = new ArrayBuffer(view.byteLength);
    new Uint8Array(own).set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    if (Buffer.isBuffer(view)) return Buffer.from(own);
    const ctor = view.constructor as ViewConstructor;
    const perElement = view instanceof DataView ? 1 : view.BYTES_PER_ELEMENT;
    return new ctor(own, 0, view.byteLength / perElement);
  }
}
