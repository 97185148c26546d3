import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One movement of stock, append-only. No `from` = goods received, no `to` = goods issued, both =
 * transfer. Inserted in the transaction that changes the levels, so its insert is what
 * invalidates the product's cached inventory at commit (see inventory.cache-rules.ts).
 */
@Entity({ name: 'stock_moves' })
export class StockMove {
  /** bigint: returned as a string by pg, never rounded. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'product_id', type: 'integer' })
  productId: number;

  @Column({ name: 'from_warehouse_id', type: 'integer', nullable: true })
  fromWarehouseId: number | null;

  @Column({ name: 'to_warehouse_id', type: 'integer', nullable: true })
  toWarehouseId: number | null;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
