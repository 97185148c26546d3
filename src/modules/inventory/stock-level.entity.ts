import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Quantity of one product in one warehouse; the database refuses a negative quantity. */
@Entity({ name: 'stock_levels' })
export class StockLevel {
  @PrimaryColumn({ name: 'product_id', type: 'integer' })
  productId: number;

  @PrimaryColumn({ name: 'warehouse_id', type: 'integer' })
  warehouseId: number;

  @Column({ type: 'integer' })
  quantity: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
