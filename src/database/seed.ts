import type { DataSource } from 'typeorm';
import { entityTags } from '../cache/index.js';
import { inventoryTag } from '../modules/inventory/inventory.cache-rules.js';

/**
 * Invalidates cache tags (the cache service's invalidateTags). The seed writes with raw SQL, which
 * the TypeORM subscriber never sees, so it invalidates what it wrote itself, after the commit: the
 * cache may hold entries of this prefix from before (an emptied database, a warmer that ran early).
 */
export type InvalidateTags = (tags: string[]) => Promise<void>;

/** Everything cached from any row of these tables: their collection and bulk tags. */
const tablesTags = (...entities: string[]): string[] =>
  entities.flatMap((entity) => [entityTags.collection(entity), entityTags.bulk(entity)]);

/**
 * Loads demo data once: 20 categories and `products` products. Runs only when the products table
 * is empty, so restarts keep whatever was changed through the API.
 */
export async function seedDemoData(
  dataSource: DataSource,
  products: number,
  invalidate: InvalidateTags = async () => undefined,
): Promise<boolean> {
  const [{ count }] = (await dataSource.query('SELECT count(*)::int AS count FROM products')) as [{ count: number }];
  if (count > 0 || products === 0) return false;
  await dataSource.transaction(async (tx) => {
    await tx.query(`
      INSERT INTO categories (name)
      SELECT 'Category ' || lpad(n::text, 2, '0') FROM generate_series(1, 20) AS n
      ON CONFLICT (name) DO NOTHING`);
    await tx.query(
      `
      INSERT INTO products (sku, name, description, price, category_id, active)
      SELECT 'SKU-' || lpad(n::text, 6, '0'),
             'Product ' || n,
             'Demo product number ' || n || ' of the sample catalog.',
             round((1 + (n * 7919 % 100000) / 100.0)::numeric, 2),
             (SELECT id FROM categories ORDER BY id OFFSET (n % 20) LIMIT 1),
             n % 10 <> 0
      FROM generate_series(1, $1::int) AS n`,
      [products],
    );
  });
  // Lists of one category carry `category:<id>` and the product bulk tag: both covered here.
  await invalidate(tablesTags('category', 'product'));
  return true;
}

/**
 * Three warehouses and opening stock for the first 100 products, recorded as "opening stock"
 * moves. Runs only when there are no warehouses (also on a database seeded before inventory).
 */
export async function seedInventory(
  dataSource: DataSource,
  invalidate: InvalidateTags = async () => undefined,
): Promise<boolean> {
  const [{ count }] = (await dataSource.query('SELECT count(*)::int AS count FROM warehouses')) as [{ count: number }];
  if (count > 0) return false;
  const stocked = await dataSource.transaction(async (tx) => {
    await tx.query(`
      INSERT INTO warehouses (code, name)
      VALUES ('MAIN', 'Main warehouse'), ('EAST', 'East depot'), ('WEST', 'West depot')`);
    await tx.query(`
      INSERT INTO stock_moves (product_id, to_warehouse_id, quantity, reason)
      SELECT p.id, w.id, 10 + (p.id * 31 + w.id * 17) % 90, 'opening stock'
      FROM (SELECT id FROM products ORDER BY id LIMIT 100) p CROSS JOIN warehouses w`);
    await tx.query(`
      INSERT INTO stock_levels (product_id, warehouse_id, quantity)
      SELECT product_id, to_warehouse_id, quantity FROM stock_moves WHERE reason = 'opening stock'`);
    return (await tx.query(`SELECT DISTINCT product_id FROM stock_moves WHERE reason = 'opening stock'`)) as {
      product_id: number;
    }[];
  });
  await invalidate([
    ...tablesTags('warehouse', 'stockMove', 'stockLevel'),
    ...stocked.map((row) => inventoryTag(row.product_id)),
  ]);
  return true;
}
