import { describe, expect, it } from 'vitest';
import { PayloadCodec } from './payload.codec.js';
import { V8Serializer } from './v8.serializer.js';

describe('PayloadCodec', () => {
  const codec = new PayloadCodec(new V8Serializer(), 64);

  it('compresses only above the threshold, and only when it helps', () => {
    expect(codec.encode('short')[0]).toBe(0x10);
    expect(codec.encode('x'.repeat(1000))[0]).toBe(0x11);
    expect(codec.decode(codec.encode('x'.repeat(1000)))).toBe('x'.repeat(1000));
  });

  it('rejects foreign or damaged payloads instead of returning garbage', () => {
    expect(() => codec.decode(Buffer.from('{"json":true}'))).toThrow(/unknown payload header/);
    expect(() => codec.decode(Buffer.from([0x1f, 1, 2]))).toThrow(/unknown payload codec/);
    const good = codec.encode({ a: 'b'.repeat(200) });
    expect(() => codec.decode(good.subarray(0, 10))).toThrow();
  });
});
