import type { DataSourceOptions } from 'typeorm';
import { Products1763700000000 } from '../../migrations/1763700000000-products.js';
import { CacheWriteBehind1763900000000 } from 'nestjs-layered-cache/write-behind';
import { InventoryDocuments1763800000000 } from '../../migrations/1763800000000-inventory-documents.js';
import { Users1764000000000 } from '../../migrations/1764000000000-users.js';
import { User } from '../modules/auth/user.entity.js';
import { Document } from '../modules/documents/document.entity.js';
import { StockLevel } from '../modules/inventory/stock-level.entity.js';
import { StockMove } from '../modules/inventory/stock-move.entity.js';
import { Warehouse } from '../modules/inventory/warehouse.entity.js';
import { Category } from '../modules/products/category.entity.js';
import { Product } from '../modules/products/product.entity.js';

/** Postgres timeouts in ms (0: none); see DATABASE_* in src/config/app-config.ts for what each bounds. */
export interface DatabaseTimeouts {
  statement: number;
  query: number;
  connect: number;
  idleInTransaction: number;
  poolSize: number;
}

/** The app's defaults (DATABASE_* variables), also used by tools that build a DataSource without the app config. */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  statement: 5000,
  query: 6000,
  connect: 3000,
  idleInTransaction: 10_000,
  poolSize: 10,
};

/** The DATABASE_* timeouts of a loaded app config. */
export function databaseTimeouts(config: {
  DATABASE_STATEMENT_TIMEOUT: number;
  DATABASE_QUERY_TIMEOUT: number;
  DATABASE_CONNECT_TIMEOUT: number;
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: number;
  DATABASE_POOL_SIZE: number;
}): DatabaseTimeouts {
  return {
    statement: config.DATABASE_STATEMENT_TIMEOUT,
    query: config.DATABASE_QUERY_TIMEOUT,
    connect: config.DATABASE_CONNECT_TIMEOUT,
    idleInTransaction: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT,
    poolSize: config.DATABASE_POOL_SIZE,
  };
}

/** One place that lists entities and migrations (explicit imports: ESM has no glob loading). */
export function dataSourceOptions(
  url: string,
  timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [Category, Product, Warehouse, StockLevel, StockMove, Document, User],
    migrations: [
      Products1763700000000,
      InventoryDocuments1763800000000,
      CacheWriteBehind1763900000000,
      Users1764000000000,
    ],
    migrationsRun: true,
    synchronize: false,
    logging: ['error'],
    poolSize: timeouts.poolSize,
    // pg's own names; pg-pool hands them to every client. 0 leaves a timeout unset, which is "none".
    extra: {
      connectionTimeoutMillis: timeouts.connect,
      query_timeout: timeouts.query,
      statement_timeout: timeouts.statement,
      idle_in_transaction_session_timeout: timeouts.idleInTransaction,
    },
  };
}
