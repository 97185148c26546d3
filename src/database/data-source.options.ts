import type { DataSourceOptions } from 'typeorm';
import { Products1763700000000 } from '../../migrations/1763700000000-products.js';
import { Category } from '../modules/products/category.entity.js';
import { Product } from '../modules/products/product.entity.js';

/** One place that lists entities and migrations (explicit imports: ESM has no glob loading). */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [Category, Product],
    migrations: [Products1763700000000],
    migrationsRun: true,
    synchronize: false,
    logging: ['error'],
  };
}
