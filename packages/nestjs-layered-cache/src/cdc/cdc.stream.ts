import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import type { ClientConfig } from 'pg';
import type { CdcTableMap } from './cdc-table-map.js';
import { formatLsn, parseLsn } from './cdc.lsn.js';

/** Messages handled per bump, and queue lengths at which the socket is paused and resumed. */
const BATCH = 5000;
const HIGH_WATER = 20_000;
const LOW_WATER = 5000;

type Item = { kind: 'message'; message: Pgoutput.Message } | { kind: 'heartbeat'; lsn: string; reply: boolean };

export interface AppliedBatch {
  transactions: number;
  changes: number;
  /** Commit time (ms since the epoch) of the last transaction in the batch. */
  lastCommitMs: number;
}

/**
 * One leadership term: reads the slot, collects each transaction's tags, and after its COMMIT
 * applies them and only then confirms its position to the server, so a crash re-delivers instead
 * of losing. Transactions already committed and waiting are applied together, in commit order.
 * `run()` resolves when the stream ends (stop, lost connection, failed invalidation).
 */
export class CdcStream {
  private readonly service: LogicalReplicationService;
  private readonly queue: Item[] = [];
  private draining = false;
  private open: Set<string> | undefined;
  private openChanges = 0;
  private failure: Error | undefined;
  private done = false;
  /** Last position confirmed to the server (re-sent when it asks for a reply mid-transaction). */
  private confirmed = 0n;

  constructor(
    connection: ClientConfig,
    private readonly slot: string,
    private readonly publication: string,
    private readonly map: CdcTableMap,
    private readonly apply: (tags: string[], batch: AppliedBatch) => Promise<void>,
  ) {
    // Positions are confirmed by hand, after the invalidations are applied (never on receipt).
    this.service = new LogicalReplicationService(connection, { acknowledge: { auto: false, timeoutSeconds: 0 } });
    this.service.on('data', (_lsn: string, message: Pgoutput.Message) => this.push({ kind: 'message', message }));
    this.service.on('heartbeat', (lsn: string, _at: number, reply: boolean) =>
      this.push({ kind: 'heartbeat', lsn, reply }),
    );
    this.service.on('error', (error: Error) => this.fail(error));
  }

  /** Streams until stopped or broken; rejects with the reason it broke. */
  async run(): Promise<void> {
    const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [this.publication] });
    try {
      await this.service.subscribe(plugin, this.slot);
    } catch (error) {
      this.fail(error as Error);
    }
    this.done = true;
    if (this.failure) throw this.failure;
  }

  async stop(): Promise<void> {
    this.done = true;
    await this.service.destroy().catch(() => undefined);
  }

  private socket() {
    return socketOf(this.service);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.stop().catch(() => undefined);
  }

  private push(item: Item): void {
    if (this.done) return;
    this.queue.push(item);
    if (this.queue.length >= HIGH_WATER) this.socket()?.pause();
    if (!this.draining) this.drain().catch((error: unknown) => this.fail(error as Error));
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.done) {
        const items = this.queue.splice(0, BATCH);
        const ready = new Set<string>();
        let confirm: bigint | undefined;
        let reply = false;
        let batch: AppliedBatch = { transactions: 0, changes: 0, lastCommitMs: 0 };
        for (const item of items) {
          if (item.kind === 'heartbeat') {
            reply ||= item.reply;
            // Between transactions, everything before the server's position has been delivered:
            // confirming it lets the server recycle WAL of tables we do not read.
            const at = parseLsn(item.lsn);
            if (this.open === undefined && at > 0n) confirm = maxLsn(confirm, at - 1n);
            continue;
          }
          const m = item.message;
          if (m.tag === 'begin') {
            this.open = new Set();
            this.openChanges = 0;
          } else if (m.tag === 'commit') {
            for (const tag of this.open ?? []) ready.add(tag);
            this.open = undefined;
            batch = {
              transactions: batch.transactions + 1,
              changes: batch.changes + this.openChanges,
              lastCommitMs: Number(m.commitTime as bigint) / 1000,
            };
            // The commit record's own position: the server skips it (and only what is before it).
            if (m.commitLsn) confirm = maxLsn(confirm, parseLsn(m.commitLsn));
          } else if (m.tag === 'insert' || m.tag === 'update' || m.tag === 'delete') {
            this.openChanges++;
            for (const tag of this.map.tagsOf(toChange(m))) this.open?.add(tag);
          } else if (m.tag === 'truncate') {
            this.openChanges++;
            for (const r of m.relations) for (const tag of this.map.truncated(r.schema, r.name)) this.open?.add(tag);
          }
        }
        if (batch.transactions > 0) await this.apply([...ready], batch);
        // A failed apply threw above: nothing of this batch is confirmed, the next term re-reads it.
        if (confirm !== undefined && confirm > this.confirmed) this.confirmed = confirm;
        // The server drops a reader that does not answer its keepalives (wal_sender_timeout), even
        // in the middle of a long transaction: answer with the last confirmed position then.
        if ((confirm !== undefined || reply) && !this.done) await this.service.acknowledge(formatLsn(this.confirmed));
        if (this.queue.length < LOW_WATER) this.socket()?.resume();
      }
    } finally {
      this.draining = false;
    }
  }
}

/**
 * The replication connection's socket, to pause reading while the queue is long: a backlog after
 * downtime must not be read into memory whole. The client keeps it private (its own flow control
 * pauses it the same way); if it is ever missing, reading is simply not paused.
 */
function socketOf(service: LogicalReplicationService): { pause(): void; resume(): void } | undefined {
  return (service as unknown as { _connection?: { stream?: { pause(): void; resume(): void } } })._connection?.stream;
}

function maxLsn(a: bigint | undefined, b: bigint): bigint {
  return a === undefined || b > a ? b : a;
}

function toChange(m: Pgoutput.MessageInsert | Pgoutput.MessageUpdate | Pgoutput.MessageDelete) {
  const r = m.relation;
  const old = m.tag === 'insert' ? null : (m.old ?? m.key);
  return {
    schema: r.schema,
    table: r.name,
    kind: m.tag,
    before: old ?? undefined,
    after: m.tag === 'delete' ? undefined : m.new,
    fullBefore: r.replicaIdentity === 'full' && m.tag !== 'insert' && m.old !== null,
  };
}
