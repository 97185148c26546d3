import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CacheModule } from './cache/index.js';
import type { AppRuntime } from './config/app-config.js';
import { dataSourceOptions } from './database/data-source.options.js';
import { ProductsModule } from './modules/products/products.module.js';

@Module({})
export class AppModule {
  /** The sample app, wired to already-resolved database and Redis URLs. */
  static forRoot(runtime: AppRuntime): DynamicModule {
    const { config } = runtime;
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(runtime.databaseUrl)),
        CacheModule.forRoot({
          isGlobal: true,
          prefix: config.CACHE_PREFIX,
          redis: { url: runtime.redisUrl },
          l1: { maxBytes: config.CACHE_L1_MAX_BYTES, maxEntries: config.CACHE_L1_MAX_ENTRIES },
        }),
        ProductsModule,
      ],
    };
  }
}
