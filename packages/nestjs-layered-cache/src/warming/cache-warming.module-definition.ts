import { ConfigurableModuleBuilder } from '@nestjs/common';
import { CACHE_WARMING_OPTIONS } from './warming.constants.js';
import type { CacheWarmingOptions } from './warming.interface.js';

/** `forRoot(options)` / `forRootAsync({ useFactory, inject, imports })`; always global. */
export const { ConfigurableModuleClass: CacheWarmingModuleClass } = new ConfigurableModuleBuilder<CacheWarmingOptions>({
  optionsInjectionToken: CACHE_WARMING_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras({}, (definition) => ({ ...definition, global: true }))
  .build();
