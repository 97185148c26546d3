import { z } from 'zod';
import { CONTROL_MESSAGE, hasNoControlCharacters, INT32_MAX, INT32_MESSAGE } from '../../../common/pipes/index.js';

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

export const listProductsQuerySchema = z.strictObject({
  categoryId: z.coerce.number().int().positive('must be a positive integer').max(INT32_MAX, INT32_MESSAGE).optional(),
  active: flag.optional(),
  search: z
    .string()
    .trim()
    .min(1)
    .max(100, 'must be at most 100 characters')
    .refine(hasNoControlCharacters, CONTROL_MESSAGE)
    .optional(),
  page: z.coerce
    .number()
    .int()
    .positive('must be a positive integer')
    .max(1_000_000, 'must be at most 1000000')
    .default(1),
  pageSize: z.coerce.number().int().min(1).max(100, 'must be between 1 and 100').default(20),
});

export type ListProductsQuery = z.infer<typeof listProductsQuerySchema>;

/** A canonical cache key for a list query: same filters in any order give the same key. */
export function listKey(query: ListProductsQuery): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return `products?${parts.join('&')}`;
}
