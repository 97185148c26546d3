import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { CACHE_PREFIX, CACHE_STACK } from '../cache.internal-constants.js';
import type { CacheStack } from '../core/cache-stack.js';
import type { CdcInvalidationOptions, CdcStatus } from './cdc-options.interface.js';
import { CdcTableMap } from './cdc-table-map.js';
import { CDC_OPTIONS, defaultSlotName } from './cdc.constants.js';
import type { CdcAppliedEvent } from './cdc.events.js';
import { CdcLeader } from './cdc.leader.js';
import { cdcPreflight } from './cdc.preflight.js';

/**
 * Invalidates the cache from Postgres logical replication: every committed write by any writer
 * (raw SQL, migrations, psql, other services, cascades) bumps the tags the TypeORM subscriber would
 * bump for it. Starts after the app's modules (so every feature's rules are registered); a server
 * that cannot replicate costs one warning saying what to change, and the app runs without CDC.
 * Applied batches are `cdc:applied` events on the cache's emitter, and it answers `cdc:status`
 * (CacheMetricsModule turns both into the `cache_cdc_*` metrics).
 */
@Injectable()
export class CdcInvalidationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CacheCdc');
  private leader: CdcLeader | undefined;
  private disabled: CdcStatus | undefined;
  private stopAnswering: (() => void) | undefined;

  constructor(
    @Inject(CACHE_STACK) private readonly stack: CacheStack,
    @Inject(CDC_OPTIONS) private readonly options: CdcInvalidationOptions,
    @Inject(CACHE_PREFIX) private readonly prefix: string,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Gauges (leader, lag, stuck, counts) read the status when metrics ask, whatever the state.
    this.stopAnswering = this.stack.events.on('cdc:status', (request) => request.reply(this.status()));
    const dataSource = this.moduleRef.get<DataSource>(getDataSourceToken(this.options.dataSource), { strict: false });
    const slot = this.slotName();
    const publication = this.options.publication ?? slot;
    const map = new CdcTableMap(dataSource, this.options, (table, error) =>
      this.logger.error(`Invalidation rule for ${table} failed: ${error.message}`),
    );
    const connection = connectionOf(this.options.connection, dataSource);
    const reason = await this.check(connection, { slot, publication, tables: map.tables });
    if (reason !== undefined) {
      this.logger.warn(
        `Change data capture is off: the cache is invalidated by the TypeORM subscriber only.\n${reason}`,
      );
      this.disabled = { ...idle(slot), state: 'disabled', reason };
      return;
    }
    this.leader = new CdcLeader({
      connection,
      slot,
      publication,
      map,
      pollMs: this.options.leaderPollMs ?? 1000,
      statusMs: this.options.statusIntervalMs ?? 5000,
      stuckAfterMs: this.options.stuckAfterMs ?? 300_000,
      setReplicaIdentityFull: this.options.setReplicaIdentityFull ?? false,
      apply: async (tags, batch) => {
        // Confirmed to the server only once Redis has it: a bump left pending in this process would
        // be lost with it, and the slot would not re-deliver.
        if (!(await this.stack.writes.invalidateTags(tags, 'cdc')))
          throw new Error('Redis did not take the invalidation; the transaction will be re-read from the slot');
        this.emitApplied({
          slot,
          transactions: batch.transactions,
          changes: batch.changes,
          tags: tags.length,
          delayMs: Math.max(0, Date.now() - batch.lastCommitMs),
        });
      },
      logger: this.logger,
    });
    this.leader.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopAnswering?.();
    await this.leader?.stop();
  }

  /** State, slot lag and activity, and counts: for health checks and dashboards. */
  status(): CdcStatus {
    const status = this.leader?.status ?? this.disabled ?? idle(this.slotName());
    return { ...status };
  }

  /** On the cache module's events; a throwing listener is isolated there and cannot fail the batch. */
  private emitApplied(event: CdcAppliedEvent): void {
    this.stack.events.emit('cdc:applied', event);
  }

  /** One slot per deployment, and a deployment is a cache prefix: two of them on one database each need theirs. */
  private slotName(): string {
    return this.options.slot ?? defaultSlotName(this.prefix);
  }

  /** The server's answer, or undefined when unreachable now (the leader loop keeps trying). */
  private async check(
    connection: pg.ClientConfig,
    names: { slot: string; publication: string; tables: readonly string[] },
  ): Promise<string | undefined> {
    const client = new pg.Client({ ...connection, connectionTimeoutMillis: 10_000, query_timeout: 10_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await cdcPreflight(client, names);
    } catch (error) {
      this.logger.warn(`Could not check the server for logical replication yet: ${(error as Error).message}`);
      return undefined;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function idle(slot: string): CdcStatus {
  return {
    state: 'starting',
    slot,
    lagBytes: null,
    unreadMs: null,
    stuck: false,
    transactions: 0,
    changes: 0,
    lastDelayMs: null,
    errors: 0,
  };
}

/** The DataSource's own connection settings, unless given. */
function connectionOf(given: CdcInvalidationOptions['connection'], dataSource: DataSource): pg.ClientConfig {
  if (typeof given === 'string') return { connectionString: given };
  if (given) return given;
  const o = dataSource.options as {
    url?: string;
    host?: string;
    port?: number;
    username?: string;
    password?: string | (() => string | Promise<string>);
    database?: string;
    ssl?: pg.ClientConfig['ssl'];
  };
  const config: pg.ClientConfig = {};
  if (o.url) config.connectionString = o.url;
  if (o.host) config.host = o.host;
  if (o.port) config.port = o.port;
  if (o.username) config.user = o.username;
  if (o.password) config.password = o.password;
  if (o.database) config.database = o.database;
  if (o.ssl) config.ssl = o.ssl;
  return config;
}
