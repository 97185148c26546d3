import { ConfigurableModuleBuilder } from '@nestjs/common';
import { WRITE_BEHIND_OPTIONS } from './write-behind.constants.js';
import type { WriteBehindOptions } from './write-behind.interface.js';

/** `forRoot(options)` / `forRootAsync({ useFactory, inject, imports })`; always global. */
export const { ConfigurableModuleClass: CacheWriteBehindModuleClass } =
  new ConfigurableModuleBuilder<WriteBehindOptions>({ optionsInjectionToken: WRITE_BEHIND_OPTIONS })
    .setClassMethodName('forRoot')
    .setExtras({}, (definition) => ({ ...definition, global: true }))
    .build();
