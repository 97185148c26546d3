/**
 * Runs at most one `work` per key at a time; concurrent callers share its outcome. A caller may
 * refuse to join a flight (e.g. one that started before an invalidation it must not miss): then a
 * new flight starts and replaces it for later callers, while the old one finishes for its own.
 */
export class SingleFlight<T = unknown> {
  private readonly running = new Map<string, { promise: Promise<T>; startedAt: number }>();

  /**
   * @param startedAt an opaque mark taken when a flight starts (e.g. the local fence position)
   * @param canJoin   whether a running flight that started at `mark` can answer this caller
   */
  run(key: string, work: () => Promise<T>, startedAt = 0, canJoin?: (mark: number) => boolean): Promise<T> {
    return this.joinable(key, canJoin) ?? this.start(key, work, startedAt);
  }

  /** The running flight of `key` if this caller may join it, else undefined (nothing starts). */
  joinable(key: string, canJoin?: (mark: number) => boolean): Promise<T> | undefined {
    const existing = this.running.get(key);
    return existing !== undefined && (canJoin === undefined || canJoin(existing.startedAt))
      ? existing.promise
      : undefined;
  }

  private start(key: string, work: () => Promise<T>, startedAt: number): Promise<T> {
    const flight = {
      startedAt,
      promise: work().finally(() => {
        if (this.running.get(key) === flight) this.running.delete(key);
      }),
    };
    this.running.set(key, flight);
    return flight.promise;
  }
}
