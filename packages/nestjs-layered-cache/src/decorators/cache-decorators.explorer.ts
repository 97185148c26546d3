import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { CacheService } from '../cache.service.js';
import { forEachProviderMethod } from '../discovery/provider-methods.js';
import type { CacheView } from '../cache-view.js';
import { CACHE_EVICT_METADATA, CACHE_PUT_METADATA, CACHEABLE_METADATA } from './cache-decorators.constants.js';
import type { CacheableOptions, CacheEvictOptions, CachePutOptions } from './cache-decorators.interface.js';
import { renderKey, renderTags } from './key-template.js';

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * Finds provider methods decorated with `@Cacheable`, `@CachePut` or `@CacheEvict` at boot and
 * replaces them on the instance with wrappers that go through `CacheService`. Metadata is read
 * through the prototype chain, so inherited decorated methods are wrapped too.
 */
@Injectable()
export class CacheDecoratorsExplorer implements OnModuleInit {
  private readonly logger = new Logger('CacheDecorators');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly cache: CacheService,
  ) {}

  onModuleInit(): void {
    let wrapped = 0;
    forEachProviderMethod(this.discovery, this.scanner, (instance, name, method) => {
      const decorated = this.wrap(instance, method as AsyncMethod);
      if (decorated === method) return;
      instance[name] = decorated;
      wrapped++;
    });
    if (wrapped > 0) this.logger.log(`Cache decorators active on ${wrapped} method(s)`);
  }

  private wrap(instance: object, method: AsyncMethod): AsyncMethod {
    const cacheable = this.reflector.get<CacheableOptions | undefined>(CACHEABLE_METADATA, method);
    const put = this.reflector.get<CachePutOptions | undefined>(CACHE_PUT_METADATA, method);
    const evict = this.reflector.get<CacheEvictOptions | undefined>(CACHE_EVICT_METADATA, method);
    if (!cacheable && !put && !evict) return method;
    const call = (args: unknown[]) => method.apply(instance, args);
    return async (...args: unknown[]) => {
      if (evict?.beforeInvocation) await this.evict(evict, args);
      let result: unknown;
      if (cacheable) {
        result = await this.view(cacheable.namespace).getOrSet(renderKey(cacheable.key, args), () => call(args), {
          ttl: cacheable.ttl,
          grace: cacheable.grace,
          tags: renderTags(cacheable.tags, args),
        });
      } else {
        result = await call(args);
        if (put && result !== undefined) {
          await this.view(put.namespace).set(renderKey(put.key, args), result, {
            ttl: put.ttl,
            grace: put.grace,
            tags: renderTags(put.tags, args),
          });
        }
      }
      if (evict && !evict.beforeInvocation) await this.evict(evict, args);
      return result;
    };
  }

  private async evict(options: CacheEvictOptions, args: unknown[]): Promise<void> {
    const view = this.view(options.namespace);
    await Promise.all((options.keys ?? []).map((key) => view.delete(renderKey(key, args))));
    const tags = renderTags(options.tags, args);
    if (tags.length > 0) await view.invalidateTags(tags, 'decorator');
  }

  private view(namespace: string | undefined): CacheView {
    return namespace ? this.cache.namespace(namespace) : this.cache;
  }
}
