import { z } from 'zod';
import { CONTROL_MESSAGE, hasNoControlCharacters, INT32_MAX, INT32_MESSAGE } from '../../../common/pipes/index.js';

const id = z
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .positive('must be a positive integer')
  .max(INT32_MAX, INT32_MESSAGE);

/** `POST /inventory/moves`: no `from` = goods received, no `to` = goods issued, both = transfer. */
export const stockMoveSchema = z
  .strictObject({
    productId: id,
    fromWarehouseId: id.optional(),
    toWarehouseId: id.optional(),
    quantity: id.max(1_000_000_000, 'must be at most 1 000 000 000'),
    reason: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .refine(hasNoControlCharacters, CONTROL_MESSAGE)
      .optional(),
  })
  .refine((m) => m.fromWarehouseId !== undefined || m.toWarehouseId !== undefined, {
    message: 'give fromWarehouseId, toWarehouseId or both',
    path: ['fromWarehouseId'],
  })
  .refine((m) => m.fromWarehouseId === undefined || m.fromWarehouseId !== m.toWarehouseId, {
    message: 'must differ from fromWarehouseId',
    path: ['toWarehouseId'],
  });

export type StockMoveDto = z.infer<typeof stockMoveSchema>;

export const movesQuerySchema = z.strictObject({
  page: z.coerce
    .number()
    .int()
    .positive('must be a positive integer')
    .max(1_000_000, 'must be at most 1000000')
    .default(1),
  pageSize: z.coerce.number().int().min(1).max(100, 'must be between 1 and 100').default(20),
});

export type MovesQuery = z.infer<typeof movesQuerySchema>;

export interface InventoryView {
  productId: number;
  total: number;
  levels: { warehouseId: number; quantity: number }[];
}

export interface StockMoveView {
  id: string;
  productId: number;
  fromWarehouseId: number | null;
  toWarehouseId: number | null;
  quantity: number;
  reason: string | null;
  createdAt: Date;
}

export interface StockMovePage {
  items: StockMoveView[];
  page: number;
  pageSize: number;
  total: number;
}
