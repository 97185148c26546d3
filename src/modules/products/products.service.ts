import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { CacheService, entityTags, type CacheSetOptions } from 'nestjs-layered-cache';
import { type WarmContext } from 'nestjs-layered-cache/warming';
import { CacheTtl } from '../../config/cache-ttl.profiles.js';
import type { ListProductsQuery } from './dto/list-products.query.js';
import { listKey } from './dto/list-products.query.js';
import { toProductView, type ProductPage, type ProductView } from './dto/product.view.js';
import type { CreateProductDto, UpdateProductDto } from './dto/product-write.dto.js';
import { Category } from './category.entity.js';
import { Product } from './product.entity.js';
import { listTags, PRODUCT } from './products.cache-rules.js';

const CATEGORIES_KEY = 'categories';
const CATEGORIES_OPTIONS: CacheSetOptions = { ...CacheTtl.referenceData, tags: [entityTags.collection('category')] };

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
    return this.cache.getOrSet(listKey(query), () => this.loadPage(query), this.listOptions(query));
  }

  /** Categories: static reference data, cached a day, invalidated by any category change. */
  categories(): Promise<{ id: number; name: string }[]> {
    return this.cache.getOrSet(CATEGORIES_KEY, () => this.loadCategories(), CATEGORIES_OPTIONS);
  }

  /** Warmers store exactly what a read would: same key, loader, TTL and tags. */
  warmList(ctx: WarmContext, query: ListProductsQuery): Promise<ProductPage> {
    return ctx.warm(listKey(query), () => this.loadPage(query), this.listOptions(query));
  }

  warmCategories(ctx: WarmContext): Promise<unknown> {
    return ctx.warm(CATEGORIES_KEY, () => this.loadCategories(), CATEGORIES_OPTIONS);
  }

  /** How refresh-ahead reloads `product:<id>`. */
  readThrough(): [string, (key: string) => Promise<ProductView>, (key: string) => CacheSetOptions] {
    const id = (key: string) => Number(key.slice('product:'.length));
    return [
      'product:*',
      (key) => this.load(id(key)),
      (key) => ({ ...CacheTtl.productDetails, tags: entityTags.row(PRODUCT, id(key)) }),
    ];
  }

  private listOptions(query: ListProductsQuery): CacheSetOptions {
    return { ...CacheTtl.productCatalog, tags: listTags(query.categoryId) };
  }

  private loadCategories(): Promise<{ id: number; name: string }[]> {
    return this.dataSource.getRepository(Category).find({ select: { id: true, name: true }, order: { id: 'ASC' } });
  }

  /** Creates a product; its collection and category tags are invalidated at commit. */
  async create(dto: CreateProductDto): Promise<ProductView> {
    const created = await this.dataSource.transaction(async (tx) => {
      await this.assertCategory(tx.getRepository(Category), dto.categoryId);
      if (await tx.getRepository(Product).existsBy({ sku: dto.sku })) {
        throw new ConflictException(`A product with sku ${dto.sku} already exists`);
      }
      return tx.getRepository(Product).save(tx.getRepository(Product).create(dto));
    });
    return toProductView(created);
  }

  /** Deletes a product that has no inventory history (409 otherwise: deactivate it instead). */
  async remove(id: number): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const row = await tx.getRepository(Product).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (row === null) throw new NotFoundException(`Product ${id} not found`);
      const [{ moves }] = (await tx.query('SELECT count(*)::int AS moves FROM stock_moves WHERE product_id = $1', [
        id,
      ])) as [{ moves: number }];
      if (moves > 0) {
        throw new ConflictException(
          `Product ${id} has ${moves} stock move(s); deactivate it (PATCH active=false) instead of deleting it`,
        );
      }
      await tx.query('DELETE FROM stock_levels WHERE product_id = $1', [id]);
      await tx.getRepository(Product).remove(row);
    });
  }

  /** Applies a partial update in one transaction; the cache is invalidated at its commit. */
  async update(id: number, patch: UpdateProductDto): Promise<ProductView> {
    const after = await this.dataSource.transaction(async (tx) => {
      const row = await tx.getRepository(Product).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (row === null) throw new NotFoundException(`Product ${id} not found`);
      if (patch.categoryId !== undefined) await this.assertCategory(tx.getRepository(Category), patch.categoryId);
      Object.assign(row, patch);
      return tx.getRepository(Product).save(row);
    });
    return toProductView(after);
  }

  private async assertCategory(categories: Repository<Category>, id: number): Promise<void> {
    if (await categories.existsBy({ id })) return;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid request body',
      issues: [{ field: 'categoryId', message: `category ${id} does not exist` }],
    });
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
