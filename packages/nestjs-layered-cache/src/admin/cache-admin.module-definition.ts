import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CacheAdminOptions } from '../access/cache-admin.options.js';

/** `forRoot(options)` / `forRootAsync({ useFactory, inject, imports })`; always global. */
export const { ConfigurableModuleClass: CacheAdminModuleClass, MODULE_OPTIONS_TOKEN: ADMIN_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<CacheAdminOptions>()
    .setClassMethodName('forRoot')
    // Global: other cache features (warming, write-behind) guard their admin routes with its token.
    .setExtras({}, (definition) => ({ ...definition, global: true }))
    .build();
