import { ConfigurableModuleBuilder, type DynamicModule, type Provider, type Type } from '@nestjs/common';
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
  // The `@nestjs/cache-manager` convention, so its factory classes work with `useClass`/`useExisting`.
  .setFactoryMethodName('createCacheOptions')
  .setExtras({ isGlobal: false, globalHttpInterceptor: false }, (definition, extras): DynamicModule => ({
    ...definition,
    global: extras.isGlobal,
    // Only when asked: an interceptor on every route costs every route, cached or not.
    providers: extras.globalHttpInterceptor
      ? [...(definition.providers ?? []), { provide: APP_INTERCEPTOR, useClass: GlobalHttpCacheInterceptor }]
      : definition.providers,
  }))
  .build();

type Awaitable<T> = T | Promise<T>;

/**
 * A class for `forRootAsync({ useClass | useExisting })`: `createCacheOptions()` as in
 * `@nestjs/cache-manager`, or `create()`, the name this module used before.
 */
export type CacheOptionsFactory =
  { createCacheOptions(): Awaitable<CacheModuleOptions> } | { create(): Awaitable<CacheModuleOptions> };

export type CacheModuleAsyncOptions = Omit<typeof ASYNC_OPTIONS_TYPE, 'useClass' | 'useExisting'> & {
  useClass?: Type<CacheOptionsFactory>;
  useExisting?: Type<CacheOptionsFactory> | string | symbol;
  /** Providers the factory needs, as `@nestjs/cache-manager`'s `registerAsync` accepts them. */
  extraProviders?: Provider[];
};

/** `useClass`/`useExisting` as a factory that calls whichever method the class has. */
export function asyncDefinition(options: CacheModuleAsyncOptions): {
  async: typeof ASYNC_OPTIONS_TYPE;
  providers: Provider[];
} {
  const { useClass, useExisting, extraProviders = [], ...rest } = options;
  const token = useExisting ?? useClass;
  if (token === undefined) return { async: rest, providers: extraProviders };
  return {
    async: { ...rest, inject: [token], useFactory: (factory: CacheOptionsFactory) => createOptions(factory) },
    providers: useClass && !useExisting ? [{ provide: useClass, useClass }, ...extraProviders] : extraProviders,
  };
}

function createOptions(factory: CacheOptionsFactory): Awaitable<CacheModuleOptions> {
  if ('createCacheOptions' in factory && typeof factory.createCacheOptions === 'function') {
    return factory.createCacheOptions();
  }
  if ('create' in factory && typeof factory.create === 'function') return factory.create();
  throw new Error(
    `CacheModule.forRootAsync: ${factory?.constructor?.name ?? 'the options factory'} has neither createCacheOptions() nor create().`,
  );
}
