import { ConfigurableModuleBuilder, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { GlobalHttpCacheInterceptor } from './http/http-cache.interceptor.js';
import type { CacheModuleOptions } from './cache-options.interface.js';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: CACHE_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CacheModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false, globalHttpInterceptor: false }, (definition, extras): DynamicModule => ({
    ...definition,
    global: extras.isGlobal,
    // Only when asked: an interceptor on every route costs every route, cached or not.
    providers: extras.globalHttpInterceptor
      ? [...(definition.providers ?? []), { provide: APP_INTERCEPTOR, useClass: GlobalHttpCacheInterceptor }]
      : definition.providers,
  }))
  .build();
