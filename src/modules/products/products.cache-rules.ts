import type { EntityInvalidationRule } from '../../cache/index.js';
import { Product } from './product.entity.js';

/** A product change also invalidates the category lists it leaves and joins. */
export const productInvalidationRule: EntityInvalidationRule<Product> = {
  entity: Product,
  tags: (before, after) => [before && `category:${before.categoryId}`, after && `category:${after.categoryId}`],
};
