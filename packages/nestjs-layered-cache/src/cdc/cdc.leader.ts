import { createHash } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import pg from 'pg';
import type { CdcTableMap } from './cdc-table-map.js';
import type { CdcStatus } from './cdc-options.interface.js';
import { ensurePublicationAndSlot } from './cdc.preflight.js';
import { CdcStream, type AppliedBatch } from './cdc.stream.js';

export interface CdcLeaderConfig {
  connection: pg.ClientConfig;
  slot: string;
  publication: string;
  map: CdcTableMap;
  pollMs: number;
  statusMs: number;
  stuckAfterMs: number;
  setReplicaIdentityFull: boolean;
  apply(tags: string[], batch: AppliedBatch): Promise<void>;
  logger: Logger;
}

const QUERY_TIMEOUT_MS = 10_000;

/** The advisory lock (bigint, as text) that elects the reader of `slot`. */
export function cdcLockKey(slot: string): string {
  return createHash('sha256').update(`nlc-cdc:${slot}`).digest().readBigInt64BE().toString();
}

/**
 * Leader election on a Postgres advisory lock held by a session: the instance holding it reads the
 * slot; when it dies its session ends, the lock is freed and the next follower's poll takes over.
 * The slot itself admits one reader at a time, so even a lock lost to a network split cannot make
 * two instances consume: the second one's START_REPLICATION fails and it retries.
 */
export class CdcLeader {
  readonly status: CdcStatus;
  private readonly lockKey: string;
  private client: pg.Client | undefined;
  private stream: CdcStream | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private lastReadAt = Date.now();
  private announced = false;
  private readonly logged = new Set<string>();

  constructor(private readonly config: CdcLeaderConfig) {
    this.lockKey = cdcLockKey(config.slot);
    this.status = {
      state: 'starting',
      slot: config.slot,
      lagBytes: null,
      unreadMs: null,
      stuck: false,
      transactions: 0,
      changes: 0,
      lastDelayMs: null,
      errors: 0,
    };
  }

  start(): void {
    this.loop = this.run();
    this.timer = setInterval(() => {
      this.refreshStatus().catch((error: unknown) => this.report('status', error));
    }, this.config.statusMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.status.state = 'stopped';
    clearInterval(this.timer);
    this.wake?.();
    await this.stream?.stop();
    await this.loop;
    await this.client?.end().catch(() => undefined);
  }

  /** Applies a batch and counts it (the stream confirms its position only after this resolves). */
  async applied(tags: string[], batch: AppliedBatch): Promise<void> {
    await this.config.apply(tags, batch);
    this.lastReadAt = Date.now();
    this.status.transactions += batch.transactions;
    this.status.changes += batch.changes;
    this.status.lastDelayMs = Math.max(0, Date.now() - batch.lastCommitMs);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let backoff = this.config.pollMs;
      try {
        await this.term();
      } catch (error) {
        if (this.stopped) break;
        this.status.errors++;
        this.report('stream', error);
        backoff = Math.min(this.config.pollMs, 1000);
      }
      if (!this.stopped) await this.sleep(backoff);
    }
  }

  /** One attempt: become leader, or stay follower until the next poll. */
  private async term(): Promise<void> {
    const client = await this.lockClient();
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
      this.lockKey,
    ]);
    if (!rows[0]?.ok) {
      this.status.state = 'follower';
      this.announced = false;
      return;
    }
    this.status.state = 'leader';
    try {
      const { missingTables } = await ensurePublicationAndSlot(client, {
        ...this.config,
        tables: this.config.map.tables,
      });
      if (missingTables.length > 0)
        this.once(`missing:${missingTables.join()}`, `tables not found, not read: ${missingTables.join(', ')}`);
      await this.warnReplicaIdentity(client);
      if (this.stopped) return;
      const stream = new CdcStream(
        this.config.connection,
        this.config.slot,
        this.config.publication,
        this.config.map,
        (t, b) => this.applied(t, b),
      );
      this.stream = stream;
      // Once per leadership, not on every retry of a failing stream.
      if (!this.announced) this.logger.log(`Reading replication slot ${this.config.slot}`);
      this.announced = true;
      await stream.run();
    } finally {
      this.stream = undefined;
      if (!this.stopped) this.status.state = 'follower';
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.lockKey]).catch(() => undefined);
    }
  }

  private async lockClient(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      ...this.config.connection,
      keepAlive: true,
      connectionTimeoutMillis: QUERY_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      application_name: 'nlc-cdc-lock',
    });
    const lost = () => {
      // The lock went with the session: stop consuming so the next leader can take the slot.
      if (this.client === client) this.client = undefined;
      this.stream?.stop().catch(() => undefined);
    };
    client.on('error', (error) => (this.report('lock connection', error), lost()));
    client.on('end', lost);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private async refreshStatus(): Promise<void> {
    if (this.stopped || !this.client) return;
    const { rows } = await this.client.query<{ active: boolean; lag: string | null }>(
      `SELECT active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS lag
         FROM pg_replication_slots WHERE slot_name = $1`,
      [this.config.slot],
    );
    const slot = rows[0];
    if (slot?.active || this.stream) this.lastReadAt = Date.now();
    this.status.lagBytes = slot?.lag == null ? null : Number(slot.lag);
    this.status.unreadMs = Date.now() - this.lastReadAt;
    const stuck = this.status.unreadMs > this.config.stuckAfterMs;
    if (stuck && !this.status.stuck)
      this.config.logger.error(
        `Replication slot ${this.config.slot} unread for ${Math.round(this.status.unreadMs / 1000)} s: it keeps WAL on the server; see docs/cdc.md to drop it`,
      );
    this.status.stuck = stuck;
  }

  private async warnReplicaIdentity(client: pg.Client): Promise<void> {
    const { rows } = await client.query<{ schema: string; table: string; ident: string }>(
      `SELECT n.nspname AS schema, c.relname AS table, c.relreplident AS ident
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname || '.' || c.relname = ANY($1::text[])`,
      [this.config.map.tables],
    );
    const partial = rows.filter((r) => r.ident !== 'f' && this.config.map.hasRule(r.schema, r.table));
    if (partial.length === 0) return;
    const names = partial.map((r) => `"${r.schema.replaceAll('"', '""')}"."${r.table.replaceAll('"', '""')}"`);
    if (this.config.setReplicaIdentityFull) {
      for (const name of names) await client.query(`ALTER TABLE ${name} REPLICA IDENTITY FULL`);
      this.logger.log(`Set REPLICA IDENTITY FULL on ${names.join(', ')} (their invalidation rules read old rows)`);
      return;
    }
    this.once(
      `identity:${names.join()}`,
      `these tables have invalidation rules but their old rows are not logged, so updates and deletes bump the bulk tag: ${names.map((n) => `ALTER TABLE ${n} REPLICA IDENTITY FULL;`).join(' ')}`,
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => (clearTimeout(timer), resolve());
    });
  }

  private report(what: string, error: unknown): void {
    this.once(`${what}:${(error as Error).message}`, `${what}: ${(error as Error).message}`);
  }

  /** Each distinct problem is logged once: a flapping server must not flood the log. */
  private once(key: string, message: string): void {
    if (this.logged.has(key)) return;
    if (this.logged.size > 100) this.logged.clear();
    this.logged.add(key);
    this.logger.warn(message);
  }

  private get logger(): Logger {
    return this.config.logger;
  }
}
