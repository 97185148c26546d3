import { describe, expect, it } from 'vitest';
import { V8Serializer } from './v8.serializer.js';

describe('V8Serializer', () => {
  const serializer = new V8Serializer();

  it('gives decoded Buffers and typed arrays their own memory, not a view on the payload', () => {
    const value = {
      small: Buffer.from('thumbnail'),
      floats: new Float64Array([1.5, 2.5]),
      view: new DataView(new Uint8Array([1, 2, 3, 4]).buffer),
      pad: 'x'.repeat(1000),
    };
    const decoded = serializer.deserialize(serializer.serialize(value)) as typeof value;
    expect(Buffer.isBuffer(decoded.small)).toBe(true);
    expect(decoded.small.toString()).toBe('thumbnail');
    expect(decoded.small.buffer.byteLength).toBe(decoded.small.length);
    expect(decoded.floats).toBeInstanceOf(Float64Array);
    expect([...decoded.floats]).toEqual([1.5, 2.5]);
    expect(decoded.floats.buffer.byteLength).toBe(16);
    expect(decoded.view).toBeInstanceOf(DataView);
    expect(decoded.view.getUint8(3)).toBe(4);
    expect(decoded.view.buffer.byteLength).toBe(4);
  });
});
