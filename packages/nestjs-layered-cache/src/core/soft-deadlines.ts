interface Wait {
  /** performance.now() past which the caller stops waiting. */
  readonly deadline: number;
  readonly resolve: (value: unknown) => void;
  /** The caller got its answer (the operation's or the timeout's). */
  done: boolean;
}

/** Queue slots already consumed before the array is compacted. */
const COMPACT_AFTER = 1024;

/**
 * The soft timeout of every operation of one tier, on a single timer. All waits last the same `ms`,
 * so they end in the order they began: a FIFO whose head is the next to expire, and one timer armed
 * for that head, replace a timer (and a promise race) per operation. A wait that is answered first
 * is only marked; the timer skips it when it fires, so an answered read costs no timer work at all.
 * Waits expire exactly at `ms` (not on a coarser sweep): the timer is re-armed for the new head.
 */
export class SoftDeadlines {
  private queue: Wait[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    /** An operation answered before its deadline. */
    private readonly onTime: () => void,
    /** A wait expired: its caller got undefined. */
    private readonly onTimeout: () => void,
    /** The operation rejected (it should not: callers pass operations that fail open). */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Waits currently open (answered ones still queued are not counted). */
  get open(): number {
    let n = 0;
    for (let i = this.head; i < this.queue.length; i++) if (!this.queue[i]!.done) n++;
    return n;
  }

  /**
   * `operation`'s result, or undefined once `ms` pass (the operation goes on); `late` receives a
   * result that arrives after that.
   */
  race<R>(operation: Promise<R | undefined>, late?: (result: R) => void): Promise<R | undefined> {
    let wait!: Wait;
    const answer = new Promise<R | undefined>((resolve) => {
      wait = { deadline: performance.now() + this.ms, resolve: resolve as (value: unknown) => void, done: false };
    });
    this.queue.push(wait);
    if (this.timer === undefined) this.arm(wait.deadline);
    operation.then(
      (result) => {
        if (!wait.done) {
          wait.done = true;
          this.onTime();
          wait.resolve(result);
          this.dropAnswered();
        } else if (result !== undefined && late !== undefined) {
          try {
            late(result);
          } catch (error) {
            this.onError(error);
          }
        }
      },
      (error: unknown) => {
        this.onError(error);
        if (!wait.done) {
          wait.done = true;
          wait.resolve(undefined);
          this.dropAnswered();
        }
      },
    );
    return answer;
  }

  private arm(at: number): void {
    this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(at - performance.now())));
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.expire(performance.now());
    const next = this.queue[this.head];
    if (next !== undefined) this.arm(next.deadline);
  };

  /** Ends every open wait whose deadline is at or before `now`, oldest first. */
  private expire(now: number): void {
    while (this.head < this.queue.length) {
      const wait = this.queue[this.head]!;
      if (!wait.done) {
        if (wait.deadline > now) break;
        wait.done = true;
        this.onTimeout();
        wait.resolve(undefined);
      }
      this.head++;
    }
    this.compact();
  }

  /** Answered waits at the head leave at once, so a queue of fast reads never grows. */
  private dropAnswered(): void {
    while (this.head < this.queue.length && this.queue[this.head]!.done) this.head++;
    this.compact();
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > COMPACT_AFTER && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
