import type { DiscoveryService, MetadataScanner } from '@nestjs/core';

export type ProviderMethod = (...args: unknown[]) => unknown;

/**
 * Calls `visit` for every method of every singleton provider instance, inherited ones included.
 * Request-scoped providers have no single instance at boot and are skipped.
 */
export function forEachProviderMethod(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  visit: (instance: Record<string, unknown>, name: string, method: ProviderMethod) => void,
): void {
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const method = instance[name];
      if (typeof method === 'function') visit(instance, name, method as ProviderMethod);
    }
  }
}
