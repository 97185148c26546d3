import type { ServerResponse } from 'node:http';
import type { HttpRequestLike } from './http-cache.interface.js';

/** The parts of an Express `Response` or a Fastify `Reply` the interceptor touches. */
interface ExpressResponseLike {
  statusCode: number;
  headersSent: boolean;
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}
interface FastifyReplyLike {
  raw: ServerResponse;
  statusCode: number;
  sent: boolean;
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
  code(status: number): unknown;
}
export type HttpResponseLike = ExpressResponseLike | FastifyReplyLike;

const isFastify = (res: HttpResponseLike): res is FastifyReplyLike => 'raw' in res;

/** Node's own setHeader on Express (its `res.set` adds mime lookups we do not need). */
export function setHeader(res: HttpResponseLike, name: string, value: string): void {
  if (isFastify(res)) res.header(name, value);
  else res.setHeader(name, value);
}

export function getHeader(res: HttpResponseLike, name: string): string | undefined {
  const value = res.getHeader(name);
  return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value as string);
}

export function setStatus(res: HttpResponseLike, status: number): void {
  if (res.statusCode === status) return;
  if (isFastify(res)) res.code(status);
  else res.statusCode = status;
}

/** Node's response under the framework's. */
export function rawResponse(res: HttpResponseLike): ServerResponse {
  return isFastify(res) ? res.raw : (res as unknown as ServerResponse);
}

/** True once the handler wrote the response itself (`@Res()`). */
export function responseSent(res: HttpResponseLike): boolean {
  return isFastify(res) ? res.sent : res.headersSent;
}

/** What an adapter sends a string as when the handler set no Content-Type. */
export function defaultTextType(res: HttpResponseLike): string {
  return isFastify(res) ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8';
}

export function requestUrl(req: HttpRequestLike): string {
  return req.originalUrl ?? req.url;
}

export function header(req: HttpRequestLike, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
