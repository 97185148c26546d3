import { entityTags, type HttpRequestLike } from 'nestjs-layered-cache';
import { type EntityInvalidationRule } from 'nestjs-layered-cache/typeorm';
import { Product } from './product.entity.js';

export const PRODUCT = 'product';

/** A product change also invalidates the category lists it leaves and joins. */
export const productInvalidationRule: EntityInvalidationRule<Product> = {
  entity: Product,
  tags: (before, after) => [before && `category:${before.categoryId}`, after && `category:${after.categoryId}`],
};

/**
 * Tags of a product list page: a page of one category is invalidated only by changes touching that
 * category (or bulk updates); any other page by any product change.
 */
export function listTags(categoryId: number | undefined): string[] {
  return categoryId ? [`category:${categoryId}`, entityTags.bulk(PRODUCT)] : [entityTags.collection(PRODUCT)];
}

/*
 * HTTP responses carry the same tags as the service entries, so the subscriber's invalidation at
 * commit reaches both. Ids are read as numbers: `/products/042` must carry `product:42`.
 */
export const httpTags = {
  item: (req: HttpRequestLike): string[] => entityTags.row(PRODUCT, Number(req.params?.id)),
  list: (req: HttpRequestLike): string[] => {
    const categoryId = Number((req.query as { categoryId?: string } | undefined)?.categoryId);
    return listTags(Number.isInteger(categoryId) && categoryId > 0 ? categoryId : undefined);
  },
};
