import { Module } from '@nestjs/common';
import { CacheInvalidationModule } from 'nestjs-layered-cache/typeorm';
import { productInvalidationRule } from './products.cache-rules.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';
import { ProductsWarmers } from './products.warmers.js';

@Module({
  // Product writes invalidate their cache tags at commit, whoever makes them.
  imports: [CacheInvalidationModule.forFeature({ rules: [productInvalidationRule] })],
  controllers: [ProductsController],
  providers: [ProductsService, ProductsWarmers],
})
export class ProductsModule {}
