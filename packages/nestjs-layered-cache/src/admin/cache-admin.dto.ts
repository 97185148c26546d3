import { z } from 'zod';

const namespace = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64})*$/, 'must be a namespace path like "http" or "reports.daily"');
const tag = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/** Everything is checked before anything is applied: a bad body changes nothing. */
export const invalidateSchema = z
  .strictObject({
    keys: z.array(z.string().min(1).max(1024), 'must be a list of keys').max(1000, 'at most 1000 keys').optional(),
    tags: z.array(tag, 'must be a list of tags').max(1000, 'at most 1000 tags').optional(),
    pattern: z.string().min(1).max(1024).optional(),
    /** Namespace (nested in the root) the keys and pattern are in. */
    namespace: namespace.optional(),
    /** Required for a pattern that matches every key. */
    confirm: z.boolean().optional(),
  })
  .refine((b) => (b.keys?.length ?? 0) + (b.tags?.length ?? 0) > 0 || b.pattern !== undefined, {
    message: 'give at least one of keys, tags or pattern',
  })
  .refine((b) => b.pattern === undefined || !/^[*?]+$/.test(b.pattern) || b.confirm === true, {
    message: 'this pattern matches every key; pass "confirm": true to remove them all',
    path: ['pattern'],
  });

export type InvalidateBody = z.infer<typeof invalidateSchema>;

export const clearSchema = z.strictObject({ namespace: namespace.optional() });
export type ClearBody = z.infer<typeof clearSchema>;

export const keysQuerySchema = z.strictObject({
  pattern: z.string().min(1).max(1024).default('*'),
  cursor: z.string().regex(/^\d+$/, 'must be the cursor a previous page returned').default('0'),
  count: z.coerce.number().int().min(1).max(1000, 'must be between 1 and 1000').default(100),
  namespace: namespace.optional(),
});
export type KeysQuery = z.infer<typeof keysQuerySchema>;
