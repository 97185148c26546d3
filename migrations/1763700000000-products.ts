import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Products1763700000000 implements MigrationInterface {
  name = 'Products1763700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE categories (
        id serial PRIMARY KEY,
        name varchar(100) NOT NULL UNIQUE
      )`);
    await runner.query(`
      CREATE TABLE products (
        id serial PRIMARY KEY,
        sku varchar(40) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        description text,
        price numeric(12, 2) NOT NULL CHECK (price >= 0),
        category_id integer NOT NULL REFERENCES categories (id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX products_category_idx ON products (category_id, id)`);
    await runner.query(`CREATE INDEX products_active_idx ON products (active, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE products`);
    await runner.query(`DROP TABLE categories`);
  }
}
