import { Catch, HttpStatus, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/**
 * SQLSTATE classes and codes that mean "the server is not there (or not answering in time)", not
 * "the query is wrong": connection errors, shutdown, too many connections, and the server's own
 * timeouts (57014 statement_timeout, 25P03 idle_in_transaction_session_timeout).
 */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-4]|53300|57014|25P03)/;
/** Node socket errors of a connection that cannot be made or was cut. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
/**
 * pg's client-side timeouts (DATABASE_QUERY_TIMEOUT, DATABASE_CONNECT_TIMEOUT) have no code: a stalled
 * server never answered, so only the message says what happened.
 */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|Query read timeout|timeout exceeded when trying to connect|the database system is (starting|shutting) up/i;

/** Seconds a client is asked to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Requests that reach the database while it is down answer 503 with a message that says so (and
 * Retry-After), instead of a bare 500: nothing was applied, and trying again later is right.
 * Cached reads never get here while the cache (or its fail-safe copy) can answer them.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('Database');
  private reported = false;

  override catch(exception: unknown, host: ArgumentsHost): void {
    const dataError = host.getType() === 'http' ? dataExceptionMessage(exception) : undefined;
    if (dataError !== undefined) {
      // A value validation let through (a bug to fix there), refused by Postgres: still the client's value.
      host
        .switchToHttp()
        .getResponse<{ status(code: number): { json(body: unknown): void } }>()
        .status(400)
        .json({
          statusCode: HttpStatus.BAD_REQUEST,
          error: 'Bad Request',
          message: `A value cannot be stored: ${dataError}`,
        });
      return;
    }
    if (host.getType() !== 'http' || !isDatabaseUnavailable(exception)) {
      super.catch(exception, host);
      return;
    }
    if (!this.reported) {
      this.reported = true; // once a minute at most: an outage would otherwise log every request
      this.logger.error(`The database is unreachable: ${(exception as Error).message}`);
      setTimeout(() => (this.reported = false), 60_000).unref();
    }
    const response = host.switchToHttp().getResponse<{
      status(code: number): { setHeader(name: string, value: string): void; json(body: unknown): void };
    }>();
    const reply = response.status(HttpStatus.SERVICE_UNAVAILABLE);
    reply.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    reply.json({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      message: `The database is unavailable, so this request was not applied. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
    });
  }
}

/** True for errors of a database that cannot be reached (looked for on the error and its causes). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (UNAVAILABLE_MESSAGE.test(e.message)) return true;
    e = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/** SQLSTATE class 22, "data exception": out of range, NUL in text, too long — the request's values. */
function dataExceptionMessage(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && code.startsWith('22')) return e.message;
    e = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}
