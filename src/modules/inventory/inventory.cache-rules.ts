import type { HttpRequestLike } from 'nestjs-layered-cache';
import type { EntityInvalidationRule } from 'nestjs-layered-cache/typeorm';
import { StockMove } from './stock-move.entity.js';

/** Everything cached about one product's stock carries this tag. */
export const inventoryTag = (productId: number): string => `inventory:${productId}`;

/**
 * Stock levels change through atomic SQL (no entity events); the move inserted in the same
 * transaction is what the subscriber sees, so it stands for the product's inventory.
 */
export const stockMoveInvalidationRule: EntityInvalidationRule<StockMove> = {
  entity: StockMove,
  tags: (before, after) => [after && inventoryTag(after.productId), before && inventoryTag(before.productId)],
};

/** HTTP tags: the id read as a number, as `/inventory/042` must carry `inventory:42`. */
export const inventoryHttpTags = (req: HttpRequestLike): string[] => [inventoryTag(Number(req.params?.productId))];
