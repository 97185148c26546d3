import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CacheSessionOptions } from './session.options.js';

/** `forRoot(options)` / `forRootAsync({ useFactory, inject, imports })`; always global. */
export const { ConfigurableModuleClass: CacheSessionModuleClass, MODULE_OPTIONS_TOKEN: SESSION_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<CacheSessionOptions>()
    .setClassMethodName('forRoot')
    .setExtras({}, (definition) => ({ ...definition, global: true }))
    .build();
