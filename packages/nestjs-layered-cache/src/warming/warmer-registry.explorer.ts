import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { forEachProviderMethod } from '../discovery/provider-methods.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { CACHE_WARMER_METADATA } from './cache-warmer.decorator.js';
import type { CacheWarmerOptions, WarmContext } from './warming.interface.js';

export interface RegisteredWarmer {
  options: CacheWarmerOptions;
  run: (ctx: WarmContext) => Promise<unknown>;
}

/** Finds `@CacheWarmer` methods on singleton providers (inherited ones too). */
@Injectable()
export class WarmerRegistry {
  private readonly warmers = new Map<string, RegisteredWarmer>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  discover(): void {
    forEachProviderMethod(this.discovery, this.scanner, (instance, _name, method) => {
      const options = this.reflector.get<CacheWarmerOptions | undefined>(CACHE_WARMER_METADATA, method);
      if (options) this.add(options, (ctx) => Promise.resolve(method.call(instance, ctx)));
    });
  }

  add(options: CacheWarmerOptions, run: RegisteredWarmer['run']): void {
    if (this.warmers.has(options.name)) {
      throw new CacheConfigError(`Two cache warmers are named "${options.name}"; warmer names must be unique`);
    }
    this.warmers.set(options.name, { options, run });
  }

  get(name: string): RegisteredWarmer | undefined {
    return this.warmers.get(name);
  }

  all(): RegisteredWarmer[] {
    return [...this.warmers.values()];
  }
}

/** BullMQ options of a warmer's jobs: its priority and attempts, exponential backoff, bounded history. */
export function warmJobOptions(warmer: RegisteredWarmer) {
  return {
    priority: warmer.options.priority,
    attempts: warmer.options.attempts ?? 3,
    backoff: { type: 'exponential' as const, delay: 1000 },
    removeOnComplete: { count: 200 },
    removeOnFail: { count: 500 },
  };
}
