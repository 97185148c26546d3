import { z } from 'zod';

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

export const listProductsQuerySchema = z.strictObject({
  categoryId: z.coerce.number().int().positive('must be a positive integer').optional(),
  active: flag.optional(),
  search: z.string().trim().min(1).max(100, 'must be at most 100 characters').optional(),
  page: z.coerce.number().int().positive('must be a positive integer').default(1),
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
