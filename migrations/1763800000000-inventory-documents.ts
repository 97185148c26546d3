import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InventoryDocuments1763800000000 implements MigrationInterface {
  name = 'InventoryDocuments1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE warehouses (
        id serial PRIMARY KEY,
        code varchar(20) NOT NULL UNIQUE,
        name varchar(100) NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE stock_levels (
        product_id integer NOT NULL REFERENCES products (id),
        warehouse_id integer NOT NULL REFERENCES warehouses (id),
        quantity integer NOT NULL CHECK (quantity >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (product_id, warehouse_id)
      )`);
    await runner.query(`
      CREATE TABLE stock_moves (
        id bigserial PRIMARY KEY,
        product_id integer NOT NULL REFERENCES products (id),
        from_warehouse_id integer REFERENCES warehouses (id),
        to_warehouse_id integer REFERENCES warehouses (id),
        quantity integer NOT NULL CHECK (quantity > 0),
        reason varchar(200),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (from_warehouse_id IS NOT NULL OR to_warehouse_id IS NOT NULL),
        CHECK (from_warehouse_id IS DISTINCT FROM to_warehouse_id)
      )`);
    // GET /inventory/:productId/moves: newest first, by product.
    await runner.query(`CREATE INDEX stock_moves_product_idx ON stock_moves (product_id, id DESC)`);
    await runner.query(`
      CREATE TABLE documents (
        uuid uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id varchar(64) NOT NULL,
        title varchar(200) NOT NULL,
        content_hash char(64) NOT NULL,
        mime varchar(50) NOT NULL,
        size integer NOT NULL CHECK (size >= 0),
        status varchar(12) NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
        ocr_text text,
        confidence real,
        language varchar(10),
        page_count integer,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        access_count integer NOT NULL DEFAULT 0,
        last_accessed_at timestamptz
      )`);
    // The per-user summary counts by status; the upload path looks for a finished twin by hash.
    await runner.query(`CREATE INDEX documents_owner_status_idx ON documents (owner_id, status)`);
    await runner.query(`CREATE INDEX documents_hash_idx ON documents (content_hash, status)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE documents`);
    await runner.query(`DROP TABLE stock_moves`);
    await runner.query(`DROP TABLE stock_levels`);
    await runner.query(`DROP TABLE warehouses`);
  }
}
