import { createHash } from 'node:crypto';
import { StreamableFile } from '@nestjs/common';
import { defaultTextType, getHeader, responseSent, type HttpResponseLike } from './http-exchange.js';

/** A response as the cache keeps it: already serialized, so a hit writes these bytes as they are. */
export interface StoredResponse {
  status: number;
  type: string;
  /** Strong validator, from the body. */
  etag: string;
  body: string;
  /** Epoch ms when the handler produced it; `Age` and staleness derive from it. */
  storedAt: number;
  /** Freshness it was stored with, ms. */
  ttl: number;
  /** Edge routes only: the Cache-Control to send, as the edge answers without knowing the route. */
  cacheControl?: string;
  /** Edge routes only: the route's metrics label. */
  route?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The cacheable form of a handler result, or undefined when it must not be cached: a non-2xx
 * status, a response the handler sent itself (`@Res()`), a stream or binary body, a `Set-Cookie`,
 * a `Cache-Control: no-store` (or `private` on a shared route) set by the handler, or a body over
 * `maxBytes`. `replied`: a background refresh, whose response already went out with our headers.
 */
export function toStoredResponse(
  value: unknown,
  res: HttpResponseLike,
  options: { ttl: number; shared: boolean; maxBytes: number; replied: boolean },
): StoredResponse | undefined {
  const status = res.statusCode;
  if (status < 200 || status > 299 || !isSerializable(value)) return undefined;
  // A background refresh (grace) runs after the stale response went out: those headers are ours.
  if (!options.replied && !handlerAllowsCaching(res, options.shared)) return undefined;
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  if (body === undefined || Buffer.byteLength(body) > options.maxBytes) return undefined;
  const type = getHeader(res, 'content-type') ?? (typeof value === 'string' ? defaultTextType(res) : JSON_TYPE);
  return { status, type, etag: etagOf(body), body, storedAt: Date.now(), ttl: options.ttl };
}

function handlerAllowsCaching(res: HttpResponseLike, shared: boolean): boolean {
  if (responseSent(res) || getHeader(res, 'set-cookie') !== undefined) return false;
  const control = getHeader(res, 'cache-control');
  return !control || !(/no-store/i.test(control) || (shared && /private/i.test(control)));
}

/** Strings and JSON-able objects; not streams, buffers, files or web responses. */
function isSerializable(value: unknown): value is string | object {
  if (typeof value === 'string') return true;
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof StreamableFile || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return false;
  const candidate = value as { pipe?: unknown; getReader?: unknown; [Symbol.asyncIterator]?: unknown };
  return (
    typeof candidate.pipe !== 'function' &&
    typeof candidate.getReader !== 'function' &&
    typeof candidate[Symbol.asyncIterator] !== 'function' &&
    !(typeof Response !== 'undefined' && value instanceof Response)
  );
}

export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** RFC 9110 §13.1.2: If-None-Match uses the weak comparison, so `W/"x"` matches `"x"`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return (t.startsWith('W/') ? t.slice(2) : t) === etag;
  });
}
