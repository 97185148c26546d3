import { z } from 'zod';
import { CONTROL_MESSAGE, hasNoControlCharacters, INT32_MAX, INT32_MESSAGE } from '../../../common/pipes/index.js';

/** "12.5" → "12.50": the same text Postgres returns for numeric(12,2), so responses never differ. */
function toCents(amount: string): string {
  const [units, fraction = ''] = amount.split('.');
  return `${Number(units)}.${fraction.padEnd(2, '0')}`;
}

const fields = {
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .refine(hasNoControlCharacters, CONTROL_MESSAGE),
  description: z
    .string()
    .max(5000, 'must be at most 5000 characters')
    .refine(hasNoControlCharacters, CONTROL_MESSAGE)
    .nullable(),
  price: z
    .union([z.number(), z.string()])
    .transform((v) => String(v).trim())
    .refine(
      (v) => /^\d{1,10}(\.\d{1,2})?$/.test(v),
      'must be a non-negative amount with at most 2 decimals, e.g. "12.50"',
    )
    .transform(toCents),
  categoryId: z.number().int('must be an integer').positive('must be a positive integer').max(INT32_MAX, INT32_MESSAGE),
  active: z.boolean(),
};

export const updateProductSchema = z
  .strictObject(fields)
  .partial()
  .refine(
    (patch) => Object.keys(patch).length > 0,
    'send at least one of name, description, price, categoryId, active',
  );

export type UpdateProductDto = z.infer<typeof updateProductSchema>;

export const createProductSchema = z.strictObject({
  ...fields,
  sku: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be 1–40 letters, digits, ".", "_" or "-"'),
  description: fields.description.optional(),
  active: fields.active.default(true),
});

export type CreateProductDto = z.infer<typeof createProductSchema>;
