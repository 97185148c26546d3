/** When and how often a failing loader is retried while a kept entry stands in for it. */
export interface FailSafeRetryOptions {
  /** After a failure, the loader is not called again for this many ms; doubles per failure in a row. */
  retryAfter: number;
  /** Ceiling of that wait, ms. */
  maxRetryAfter: number;
  /** Which loader errors a kept entry may hide; the others reach the caller. */
  when: (error: unknown) => boolean;
}

/** Keys whose loader failed are remembered up to this many at once (oldest forgotten first). */
const MAX_TRACKED = 10_000;

/**
 * Fail-safe bookkeeping (RFC 5861 stale-if-error): which keys' loaders failed recently. While a key
 * is backing off, callers get the kept entry without calling the loader again, so a database that
 * is down sees one attempt per key per backoff period instead of one per request.
 */
export class FailSafe {
  private readonly failures = new Map<string, { inARow: number; retryAt: number }>();
  /** Answers served from a kept entry because the loader failed or was backing off. */
  served = 0;

  constructor(private readonly options: FailSafeRetryOptions) {}

  /**
   * True if a kept entry may stand in for this loader error. Errors marked `notAFailure` (a result
   * the loader chose not to cache, say) carry an answer and are never covered.
   */
  covers(error: unknown): boolean {
    if ((error as { notAFailure?: unknown } | null)?.notAFailure === true) return false;
    return this.options.when(error);
  }

  /** True while the key's loader failed less than its backoff ago. */
  backingOff(full: string, now: number): boolean {
    const failure = this.failures.get(full);
    return failure !== undefined && now < failure.retryAt;
  }

  /** Watches a load: a covered failure starts or extends the key's backoff, a success ends it. */
  track<R>(full: string, load: Promise<R>): Promise<R> {
    return load.then(
      (result) => {
        this.failures.delete(full);
        return result;
      },
      (error: unknown) => {
        if (this.covers(error)) this.failed(full);
        throw error;
      },
    );
  }

  private failed(full: string): void {
    const inARow = (this.failures.get(full)?.inARow ?? 0) + 1;
    const wait = Math.min(this.options.retryAfter * 2 ** (inARow - 1), this.options.maxRetryAfter);
    this.failures.delete(full); // re-inserted last: the map's order is the order of last failure
    if (this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(full, { inARow, retryAt: Date.now() + wait });
  }
}

/**
 * The default `when`: every error except an HTTP client error (a status below 500, e.g. Nest's
 * NotFoundException or ForbiddenException, also when wrapped as `cause`). Those are answers about
 * the request, not outages: an old value must not hide them.
 */
export function isOutage(error: unknown): boolean {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 3; depth++) {
    const status = statusOf(e);
    if (status !== undefined) return status >= 500;
    e = (e as { cause?: unknown }).cause;
  }
  return true;
}

function statusOf(error: object): number | undefined {
  const getStatus = (error as { getStatus?: unknown }).getStatus;
  const status = typeof getStatus === 'function' ? (getStatus.call(error) as unknown) : undefined;
  return typeof status === 'number' ? status : undefined;
}
