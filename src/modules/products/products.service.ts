import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CacheService, entityTags } from '../../cache/index.js';
import { CacheTtl } from '../../config/cache-ttl.profiles.js';
import type { ListProductsQuery } from './dto/list-products.query.js';
import { listKey } from './dto/list-products.query.js';
import { toProductView, type ProductPage, type ProductView } from './dto/product.view.js';
import type { UpdateProductDto } from './dto/update-product.dto.js';
import { Category } from './category.entity.js';
import { Product } from './product.entity.js';
import { listTags, PRODUCT } from './products.cache-rules.js';

@Injectable()
export class ProductsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: CacheService,
  ) {}

  /** One product, cached under `product:<id>`; undefined if it does not exist (not cached). */
  async findOne(id: number): Promise<ProductView> {
    const view = await this.cache
      .getOrSet(`product:${id}`, () => this.load(id), {
        ...CacheTtl.productDetails,
        tags: entityTags.row(PRODUCT, id),
      })
      .catch((error: unknown) => {
        if (error instanceof NotFoundException) return undefined;
        throw error;
      });
    if (view === undefined) throw new NotFoundException(`Product ${id} not found`);
    return view;
  }

  /** A page of products (see listTags for what invalidates it). */
  list(query: ListProductsQuery): Promise<ProductPage> {
    return this.cache.getOrSet(listKey(query), () => this.loadPage(query), {
      ...CacheTtl.productCatalog,
      tags: listTags(query.categoryId),
    });
  }

  /** Applies a partial update in one transaction; the cache is invalidated at its commit. */
  async update(id: number, patch: UpdateProductDto): Promise<ProductView> {
    const after = await this.dataSource.transaction(async (tx) => {
      const row = await tx.getRepository(Product).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (row === null) throw new NotFoundException(`Product ${id} not found`);
      if (patch.categoryId !== undefined && !(await tx.getRepository(Category).existsBy({ id: patch.categoryId }))) {
        throw new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: 'Invalid request body',
          issues: [{ field: 'categoryId', message: `category ${patch.categoryId} does not exist` }],
        });
      }
      Object.assign(row, patch);
      return tx.getRepository(Product).save(row);
    });
    return toProductView(after);
  }

  private async load(id: number): Promise<ProductView> {
    const row = await this.dataSource.getRepository(Product).findOneBy({ id });
    if (row === null) throw new NotFoundException(`Product ${id} not found`);
    return toProductView(row);
  }

  private async loadPage(query: ListProductsQuery): Promise<ProductPage> {
    const qb = this.dataSource.getRepository(Product).createQueryBuilder('p').orderBy('p.id', 'ASC');
    if (query.categoryId !== undefined) qb.andWhere('p.category_id = :categoryId', { categoryId: query.categoryId });
    if (query.active !== undefined) qb.andWhere('p.active = :active', { active: query.active });
    if (query.search !== undefined) {
      qb.andWhere('p.name ILIKE :search', { search: `%${query.search.replace(/[\\%_]/g, '\\$&')}%` });
    }
    const [rows, total] = await qb
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
    return { items: rows.map(toProductView), page: query.page, pageSize: query.pageSize, total };
  }
}
