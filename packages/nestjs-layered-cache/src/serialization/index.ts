export { CacheSerializer } from './cache-serializer.interface.js';
export { PayloadCodec } from './payload.codec.js';
export { V8Serializer } from './v8.serializer.js';
