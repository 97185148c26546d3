import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { InventoryView, MovesQuery, StockMoveDto, StockMovePage, StockMoveView } from './dto/stock-move.dto.js';
import { StockMove } from './stock-move.entity.js';
import { INT32_MAX } from '../../common/pipes/index.js';

@Injectable()
export class InventoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Applies a move and its stock levels in one transaction. Each level changes with one atomic
   * UPDATE (its row lock serializes concurrent moves: no lost update), the decrement only if enough
   * stock is there (409 otherwise). Levels are touched in warehouse order, so two opposite
   * transfers cannot deadlock. The move row's insert invalidates the cached inventory at commit.
   */
  async move(dto: StockMoveDto): Promise<StockMoveView> {
    return this.dataSource.transaction(async (tx) => {
      await this.assertReferences(tx, dto);
      const steps = [
        dto.fromWarehouseId !== undefined && { warehouseId: dto.fromWarehouseId, delta: -dto.quantity },
        dto.toWarehouseId !== undefined && { warehouseId: dto.toWarehouseId, delta: dto.quantity },
      ]
        .filter((step) => step !== false)
        .sort((a, b) => a.warehouseId - b.warehouseId);
      for (const step of steps) {
        if (step.delta < 0) await this.take(tx, dto.productId, step.warehouseId, -step.delta);
        else await this.put(tx, dto.productId, step.warehouseId, step.delta);
      }
      const move = await tx.getRepository(StockMove).save(
        tx.getRepository(StockMove).create({
          productId: dto.productId,
          fromWarehouseId: dto.fromWarehouseId ?? null,
          toWarehouseId: dto.toWarehouseId ?? null,
          quantity: dto.quantity,
          reason: dto.reason ?? null,
        }),
      );
      return toMoveView(move);
    });
  }

  async levels(productId: number): Promise<InventoryView> {
    await this.assertProduct(this.dataSource.manager, productId);
    const rows = (await this.dataSource.query(
      'SELECT warehouse_id AS "warehouseId", quantity FROM stock_levels WHERE product_id = $1 ORDER BY warehouse_id',
      [productId],
    )) as { warehouseId: number; quantity: number }[];
    return { productId, total: rows.reduce((sum, row) => sum + row.quantity, 0), levels: rows };
  }

  async moves(productId: number, query: MovesQuery): Promise<StockMovePage> {
    await this.assertProduct(this.dataSource.manager, productId);
    const [rows, total] = await this.dataSource.getRepository(StockMove).findAndCount({
      where: { productId },
      order: { id: 'DESC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return { items: rows.map(toMoveView), page: query.page, pageSize: query.pageSize, total };
  }

  private async take(tx: EntityManager, productId: number, warehouseId: number, quantity: number): Promise<void> {
    const [, affected] = (await tx.query(
      `UPDATE stock_levels SET quantity = quantity - $3, updated_at = now()
       WHERE product_id = $1 AND warehouse_id = $2 AND quantity >= $3`,
      [productId, warehouseId, quantity],
    )) as [unknown, number];
    if (affected === 1) return;
    const [row] = (await tx.query('SELECT quantity FROM stock_levels WHERE product_id = $1 AND warehouse_id = $2', [
      productId,
      warehouseId,
    ])) as { quantity: number }[];
    throw new ConflictException(
      `Not enough stock of product ${productId} in warehouse ${warehouseId}: ${row?.quantity ?? 0} available, ${quantity} requested`,
    );
  }

  /** Adds stock, unless the level would pass the column's range (a 400, nothing applied). */
  private async put(tx: EntityManager, productId: number, warehouseId: number, quantity: number): Promise<void> {
    const applied = (await tx.query(
      `INSERT INTO stock_levels (product_id, warehouse_id, quantity) VALUES ($1, $2, $3)
       ON CONFLICT (product_id, warehouse_id)
       DO UPDATE SET quantity = stock_levels.quantity + EXCLUDED.quantity, updated_at = now()
       WHERE stock_levels.quantity::bigint + EXCLUDED.quantity <= $4
       RETURNING quantity`,
      [productId, warehouseId, quantity, INT32_MAX],
    )) as unknown[];
    if (applied.length === 1) return;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid request body',
      issues: [
        {
          field: 'quantity',
          message: `warehouse ${warehouseId} would hold more than ${INT32_MAX} units of product ${productId}`,
        },
      ],
    });
  }

  private async assertReferences(tx: EntityManager, dto: StockMoveDto): Promise<void> {
    const [found] = (await tx.query(
      `SELECT EXISTS (SELECT 1 FROM products WHERE id = $1) AS product,
              ($2::int IS NULL OR EXISTS (SELECT 1 FROM warehouses WHERE id = $2)) AS "from",
              ($3::int IS NULL OR EXISTS (SELECT 1 FROM warehouses WHERE id = $3)) AS "to"`,
      [dto.productId, dto.fromWarehouseId ?? null, dto.toWarehouseId ?? null],
    )) as { product: boolean; from: boolean; to: boolean }[];
    const issues = [
      !found!.product && { field: 'productId', message: `product ${dto.productId} does not exist` },
      !found!.from && { field: 'fromWarehouseId', message: `warehouse ${dto.fromWarehouseId} does not exist` },
      !found!.to && { field: 'toWarehouseId', message: `warehouse ${dto.toWarehouseId} does not exist` },
    ].filter(Boolean);
    if (issues.length > 0) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'Invalid request body', issues });
    }
  }

  private async assertProduct(manager: EntityManager, productId: number): Promise<void> {
    const [{ exists }] = (await manager.query('SELECT EXISTS (SELECT 1 FROM products WHERE id = $1) AS exists', [
      productId,
    ])) as [{ exists: boolean }];
    if (!exists) throw new NotFoundException(`Product ${productId} not found`);
  }
}

function toMoveView(move: StockMove): StockMoveView {
  return {
    id: String(move.id),
    productId: move.productId,
    fromWarehouseId: move.fromWarehouseId,
    toWarehouseId: move.toWarehouseId,
    quantity: move.quantity,
    reason: move.reason,
    createdAt: move.createdAt,
  };
}
