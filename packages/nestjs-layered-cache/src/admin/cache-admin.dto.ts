import { z } from 'zod';
import { checkGlob, globLiteralPrefix } from '../l1/glob-pattern.js';

const namespace = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64})*$/, 'must be a namespace path like "http" or "reports.daily"');
const tag = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/** A Redis glob, refused with the reason when Redis would silently read it otherwise than written. */
const glob = z
  .string()
  .min(1, 'must not be empty')
  .max(1024, 'must be at most 1024 characters')
  .superRefine((pattern, ctx) => {
    for (const problem of checkGlob(pattern)) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Redis cursors are unsigned 64-bit integers; anything else makes SCAN fail. */
const MAX_CURSOR = 2n ** 64n - 1n;

/** Everything is checked before anything is applied: a bad body changes nothing. */
export const invalidateSchema = z
  .strictObject({
    keys: z.array(z.string().min(1).max(1024), 'must be a list of keys').max(1000, 'at most 1000 keys').optional(),
    tags: z.array(tag, 'must be a list of tags').max(1000, 'at most 1000 tags').optional(),
    pattern: glob.optional(),
    /** Namespace (nested in the root) the keys and pattern are in. */
    namespace: namespace.optional(),
    /** Required for a pattern that can match every key (one without a literal prefix). */
    confirm: z.boolean().optional(),
  })
  .refine((b) => (b.keys?.length ?? 0) + (b.tags?.length ?? 0) > 0 || b.pattern !== undefined, {
    message: 'give at least one of keys, tags or pattern',
  })
  // Sound, not clever: without a literal prefix ("product:*"), a pattern ("[^~]*", "*", "?*x")
  // can match every key of the namespace, so removing what it matches takes an explicit confirm.
  .refine((b) => b.pattern === undefined || b.confirm === true || globLiteralPrefix(b.pattern) !== '', {
    message:
      'this pattern has no literal prefix (it starts with "*", "?" or "["), so it can match every key of the namespace; start it with literal text ("product:*") or pass "confirm": true',
    path: ['pattern'],
  });

export type InvalidateBody = z.infer<typeof invalidateSchema>;

export const clearSchema = z.strictObject({ namespace: namespace.optional() });
export type ClearBody = z.infer<typeof clearSchema>;

export const keysQuerySchema = z.strictObject({
  pattern: glob.default('*'),
  cursor: z
    .string()
    .regex(/^\d{1,20}$/, 'must be the cursor a previous page returned (an unsigned integer)')
    .refine(
      (c) => !/^\d{1,20}$/.test(c) || BigInt(c) <= MAX_CURSOR,
      'must be the cursor a previous page returned (at most 2^64 - 1)',
    )
    .default('0'),
  count: z.coerce.number().int().min(1).max(1000, 'must be between 1 and 1000').default(100),
  namespace: namespace.optional(),
});
export type KeysQuery = z.infer<typeof keysQuerySchema>;
