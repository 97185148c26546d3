import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CacheRoute, entityTags } from 'nestjs-layered-cache';
import { ParseIdPipe, ZodValidationPipe } from '../../common/pipes/index.js';
import { CacheTtl } from '../../config/cache-ttl.profiles.js';
import { listProductsQuerySchema, type ListProductsQuery } from './dto/list-products.query.js';
import type { ProductPage, ProductView } from './dto/product.view.js';
import {
  createProductSchema,
  updateProductSchema,
  type CreateProductDto,
  type UpdateProductDto,
} from './dto/product-write.dto.js';
import { httpTags } from './products.cache-rules.js';
import { ProductsService } from './products.service.js';

/** Reads are HTTP-cached (ETag/304); the subscriber invalidates them when a transaction commits. */
@Controller()
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get('products')
  @CacheRoute({
    ...CacheTtl.productCatalog,
    scope: 'public',
    tags: httpTags.list,
    query: ['categoryId', 'active', 'search', 'page', 'pageSize'],
  })
  list(@Query(new ZodValidationPipe(listProductsQuerySchema, 'query')) query: ListProductsQuery): Promise<ProductPage> {
    return this.products.list(query);
  }

  @Get('products/:id')
  @CacheRoute({ ...CacheTtl.productDetails, scope: 'public', tags: httpTags.item })
  findOne(@Param('id', new ParseIdPipe()) id: number): Promise<ProductView> {
    return this.products.findOne(id);
  }

  /** Categories (static reference data, cached a day). */
  @Get('categories')
  @CacheRoute({ ...CacheTtl.referenceData, scope: 'public', tags: [entityTags.collection('category')] })
  categories(): Promise<{ id: number; name: string }[]> {
    return this.products.categories();
  }

  @Post('products')
  create(@Body(new ZodValidationPipe(createProductSchema)) dto: CreateProductDto): Promise<ProductView> {
    return this.products.create(dto);
  }

  @Delete('products/:id')
  @HttpCode(204)
  remove(@Param('id', new ParseIdPipe()) id: number): Promise<void> {
    return this.products.remove(id);
  }

  @Patch('products/:id')
  update(
    @Param('id', new ParseIdPipe()) id: number,
    @Body(new ZodValidationPipe(updateProductSchema)) patch: UpdateProductDto,
  ): Promise<ProductView> {
    return this.products.update(id, patch);
  }
}
