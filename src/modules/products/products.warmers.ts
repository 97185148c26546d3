import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { CacheWarmer, CacheWarmingService, type WarmContext } from 'nestjs-layered-cache/warming';
import type { ListProductsQuery } from './dto/list-products.query.js';
import { ProductsService } from './products.service.js';

/** Catalog pages hourly, categories daily, both at deployment; hot products refreshed ahead. */
@Injectable()
export class ProductsWarmers implements OnModuleInit {
  constructor(
    private readonly products: ProductsService,
    @Optional() private readonly warming?: CacheWarmingService,
  ) {}

  onModuleInit(): void {
    this.warming?.register(...this.products.readThrough());
  }

  /** The first five catalog pages, and the first page of every category. */
  @CacheWarmer({ name: 'product-catalog', schedule: '0 * * * *', onStartup: true, priority: 5 })
  async catalog(ctx: WarmContext): Promise<void> {
    const categories = await this.products.categories();
    const page = (p: number, categoryId?: number): ListProductsQuery => ({ page: p, pageSize: 20, categoryId });
    const queries = [...[1, 2, 3, 4, 5].map((p) => page(p)), ...categories.map((c) => page(1, c.id))];
    await ctx.each(queries, (query) => this.products.warmList(ctx, query));
  }

  @CacheWarmer({ name: 'categories', schedule: '0 3 * * *', onStartup: true, priority: 1 })
  async categories(ctx: WarmContext): Promise<void> {
    await this.products.warmCategories(ctx);
    await ctx.progress(1, 1);
  }
}
