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

/** One place that lists entities and migrations (explicit imports: ESM has no glob loading). */
export function dataSourceOptions(url: string): DataSourceOptions {
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
  };
}
