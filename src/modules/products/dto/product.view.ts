import type { Product } from '../product.entity.js';

/** What the API returns for a product (and what the cache stores). */
export interface ProductView {
  id: number;
  sku: string;
  name: string;
  description: string | null;
  price: string;
  categoryId: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProductPage {
  items: ProductView[];
  page: number;
  pageSize: number;
  total: number;
}

export function toProductView(p: Product): ProductView {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: p.price,
    categoryId: p.categoryId,
    active: p.active,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
