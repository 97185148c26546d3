import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';

/**
 * pg-pool listens for errors only on idle clients, and TypeORM adds no listener to the client a
 * query runner holds. So a connection the server ends while it is checked out (Postgres stopped or
 * restarted, `pg_terminate_backend`, `idle_in_transaction_session_timeout` between a transaction's
 * queries) emits `error` with nobody listening, and Node ends the process. This gives every client
 * a listener as the pool hands it out: the error is logged, the client's next query fails (a 503
 * through DatabaseUnavailableFilter) and the pool drops the client when it is released.
 */
@Injectable()
export class PoolClientGuard implements OnModuleInit {
  private readonly logger = new Logger('Database');
  private readonly guarded = new WeakSet<EventEmitter>();
  private lastLogged = 0;
  /** Logged at most every 10 s: a restart ends every connection of the pool at once. */
  private readonly onClientError = (error: Error) => {
    if (Date.now() - this.lastLogged < 10_000) return;
    this.lastLogged = Date.now();
    this.logger.warn(`The database closed a connection: ${error.message}`);
  };

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const pool = (this.dataSource.driver as unknown as { master?: EventEmitter }).master;
    pool?.on('acquire', (client: EventEmitter) => {
      if (this.guarded.has(client)) return;
      this.guarded.add(client);
      client.on('error', this.onClientError);
    });
  }
}
