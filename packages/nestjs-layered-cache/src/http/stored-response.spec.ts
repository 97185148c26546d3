import { describe, expect, it } from 'vitest';
import { StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { etagMatches, etagOf, toStoredResponse } from './stored-response.js';

function expressResponse(status = 200, headers: Record<string, string> = {}) {
  return {
    statusCode: status,
    headersSent: false,
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
}
const options = { ttl: 1000, shared: true, maxBytes: 100, replied: false };

describe('stored responses', () => {
  it('serializes objects once, with a JSON type and a strong ETag from the body', () => {
    const stored = toStoredResponse({ a: 1 }, expressResponse(), options)!;
    expect(stored).toMatchObject({ status: 200, type: 'application/json; charset=utf-8', body: '{"a":1}', ttl: 1000 });
    expect(stored.etag).toBe(etagOf('{"a":1}'));
    expect(stored.etag).toMatch(/^"[\w-]{27}"$/);
    expect(toStoredResponse('hi', expressResponse(203, { 'content-type': 'text/csv' }), options)).toMatchObject({
      status: 203,
      type: 'text/csv',
      body: 'hi',
    });
  });

  it('refuses what must not be cached', () => {
    expect(toStoredResponse({ a: 1 }, expressResponse(404), options)).toBeUndefined();
    expect(toStoredResponse({ a: 1 }, expressResponse(200, { 'set-cookie': 'a=b' }), options)).toBeUndefined();
    expect(toStoredResponse({ a: 1 }, expressResponse(200, { 'cache-control': 'no-store' }), options)).toBeUndefined();
    expect(toStoredResponse({ a: 1 }, expressResponse(200, { 'cache-control': 'private' }), options)).toBeUndefined();
    expect(
      toStoredResponse({ a: 1 }, expressResponse(200, { 'cache-control': 'private' }), { ...options, shared: false }),
    ).toBeDefined();
    expect(toStoredResponse(new StreamableFile(Buffer.from('x')), expressResponse(), options)).toBeUndefined();
    expect(toStoredResponse(Readable.from(['x']), expressResponse(), options)).toBeUndefined();
    expect(toStoredResponse(Buffer.from('x'), expressResponse(), options)).toBeUndefined();
    expect(toStoredResponse(undefined, expressResponse(), options)).toBeUndefined();
    expect(toStoredResponse('x'.repeat(101), expressResponse(), options)).toBeUndefined();
    expect(toStoredResponse({ a: 1 }, { ...expressResponse(), headersSent: true }, options)).toBeUndefined();
  });

  it('matches If-None-Match weakly, in lists and with *', () => {
    const etag = etagOf('x');
    expect(etagMatches(etag, etag)).toBe(true);
    expect(etagMatches(`W/${etag}`, etag)).toBe(true);
    expect(etagMatches(`"nope", ${etag}`, etag)).toBe(true);
    expect(etagMatches('*', etag)).toBe(true);
    expect(etagMatches('"nope"', etag)).toBe(false);
    expect(etagMatches(undefined, etag)).toBe(false);
  });
});
