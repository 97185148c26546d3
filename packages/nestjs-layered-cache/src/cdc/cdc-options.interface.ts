import type { ClientConfig } from 'pg';

/** Tags for a change of a table that has no TypeORM entity; rows are column name → value. */
export type TableTagRule = (
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
) => readonly (string | null | undefined)[];

export interface CdcInvalidationOptions {
  /** Name of the TypeORM DataSource whose entities map tables to tags. Default: the default one. */
  dataSource?: string;
  /** How to connect; default: the DataSource's own connection options. The role needs REPLICATION. */
  connection?: string | ClientConfig;
  /**
   * Replication slot, one per deployment (all its instances share it). Default: derived from the
   * cache prefix, `nlc_<prefix>_<hash>` (see `status().slot`); changing the prefix leaves the old
   * slot behind (drop it, see docs/cdc.md).
   */
  slot?: string;
  /** Publication naming the tables read. Default: the slot's name. */
  publication?: string;
  /** Tables (`table` or `schema.table`) of entities not to read, e.g. high-churn counters. */
  exclude?: readonly string[];
  /** Tables without an entity, and the tags a change of one of their rows invalidates. */
  tables?: Readonly<Record<string, TableTagRule>>;
  /**
   * Tables whose entities have invalidation rules need their old rows in the WAL (REPLICA IDENTITY
   * FULL) for the rule to see what a row belonged to before (a product's old category). true: the
   * consumer sets it on such tables (needs ownership); false (default): it warns and, for those
   * tables, updates and deletes bump the entity's bulk tag instead.
   */
  setReplicaIdentityFull?: boolean;
  /** How often a follower tries to become the consumer. Default 1000 ms. */
  leaderPollMs?: number;
  /** How often the slot's lag and activity are read. Default 5000 ms. */
  statusIntervalMs?: number;
  /** A slot that nobody has read for longer than this is reported stuck. Default 300 000 ms. */
  stuckAfterMs?: number;
  // No `metrics` option: the `cache_cdc_*` gauges come with CacheMetricsModule (metrics/cdc.metrics.ts).
}

/** What this instance knows about change data capture (for health checks and metrics). */
export interface CdcStatus {
  /** `disabled`: the server cannot do it (see `reason`); `follower`: another instance reads the slot. */
  state: 'starting' | 'disabled' | 'follower' | 'leader' | 'stopped';
  reason?: string;
  slot: string;
  /** WAL bytes between the server's current position and what the slot has confirmed. */
  lagBytes: number | null;
  /** Milliseconds since the slot was last seen being read (by any instance). */
  unreadMs: number | null;
  /** `unreadMs` is above `stuckAfterMs`: the slot keeps WAL on the server's disk. */
  stuck: boolean;
  /** Transactions whose invalidations this instance applied, and their row changes. */
  transactions: number;
  changes: number;
  /** Commit → invalidation applied, for the last transaction this instance applied. */
  lastDelayMs: number | null;
  /** Failures (connection lost, invalidation failed); each one re-delivers from the slot. */
  errors: number;
}
