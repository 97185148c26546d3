import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { CacheSerializer } from './cache-serializer.interface.js';

const FORMAT_V1 = 0x10;
const CODEC_NONE = 0x00;
const CODEC_BROTLI = 0x01;

/**
 * Frames serialized values: one header byte (format version + codec) followed by the payload,
 * brotli-compressed when it is larger than `compressAbove` bytes. The header lets the format change
 * later without misreading old entries; anything unrecognised is reported as undecodable.
 */
export class PayloadCodec {
  constructor(
    private readonly serializer: CacheSerializer,
    /** Compress payloads larger than this many bytes; `Infinity` disables compression. */
    private readonly compressAbove: number,
  ) {}

  encode(value: unknown): Buffer {
    const raw = this.serializer.serialize(value);
    if (raw.length > this.compressAbove) {
      const packed = brotliCompressSync(raw, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 4,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      });
      if (packed.length < raw.length) return frame(CODEC_BROTLI, packed);
    }
    return frame(CODEC_NONE, raw);
  }

  /** Throws on a payload that is not ours or is damaged; callers treat that as a miss. */
  decode(bytes: Buffer): unknown {
    if (bytes.length < 2 || (bytes[0]! & 0xf0) !== FORMAT_V1) {
      throw new Error('unknown payload header');
    }
    const body = bytes.subarray(1);
    switch (bytes[0]! & 0x0f) {
      case CODEC_NONE:
        return this.serializer.deserialize(body);
      case CODEC_BROTLI:
        return this.serializer.deserialize(brotliDecompressSync(body));
      default:
        throw new Error('unknown payload codec');
    }
  }
}

function frame(codec: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length + 1);
  out[0] = FORMAT_V1 | codec;
  payload.copy(out, 1);
  return out;
}
