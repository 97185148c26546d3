/** An entity handled by write-behind: its TypeORM class and, optionally, a shorter name. */
export interface WriteBehindEntity {
  /** The TypeORM entity class (its table, primary key and column types come from its metadata). */
  target: new (...args: never[]) => object;
  /** Name used by the API, keys and metrics. Default: the tag name of the class (`Document` → `document`). */
  name?: string;
}

/** `CacheWriteBehindModule.forRoot(...)`. Durations in ms. */
export interface WriteBehindOptions {
  entities: readonly WriteBehindEntity[];
  /** Flush every this many ms. Default 1000. */
  flushInterval?: number;
  /** Rows per batch (one statement); a flush starts early when this many rows are pending. Default 500. */
  batchSize?: number;
  /** Pending rows per entity beyond which writes overflow. Default 100 000. */
  maxPending?: number;
  /** On overflow: apply the write synchronously (default), or reject it with a 503. */
  overflow?: 'write-through' | 'reject';
  /** Attempts of a batch before it goes to the dead-letter list. Default 5 (backoff 1 s, 2 s, 4 s…). */
  maxAttempts?: number;
  /** A claimed batch not finished within this many ms is taken over by another flusher. Default 30 000. */
  lease?: number;
  /** At shutdown, flush for at most this many ms; the rest stays in Redis. Default 5000. */
  drainTimeout?: number;
  /** TypeORM DataSource name, when not the default one. */
  dataSource?: string;
}

/** A pending change of one row: replaced/merged fields and counter deltas. */
export interface RowChange {
  set: Record<string, unknown>;
  increment: Record<string, number>;
  /** Sequence of the newest write it contains (orders writes of one row). */
  seq: number;
}
