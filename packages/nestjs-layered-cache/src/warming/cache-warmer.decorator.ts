import { SetMetadata } from '@nestjs/common';
import { durationProblem } from '../core/duration.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import type { CacheWarmerOptions } from './warming.interface.js';

export const CACHE_WARMER_METADATA = 'cache:warmer';

/**
 * Marks a provider method as a cache warmer, found at boot (no registration):
 * `@CacheWarmer({ name: 'catalog', schedule: '0 * * * *', onStartup: true })`.
 */
export function CacheWarmer(options: CacheWarmerOptions): MethodDecorator {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(options.name ?? '')) {
    throw new CacheConfigError(
      `@CacheWarmer name must be 1–64 letters, digits, "_", "." or "-", got "${options.name}"`,
    );
  }
  const { schedule } = options;
  const problem = typeof schedule === 'number' ? durationProblem(schedule, 100) : undefined;
  if (problem || (typeof schedule === 'number' && !Number.isInteger(schedule))) {
    throw new CacheConfigError(
      `@CacheWarmer(${options.name}) schedule ${problem ?? 'must be whole milliseconds'}, got ${schedule}`,
    );
  }
  if (typeof schedule === 'string' && schedule.trim().split(/\s+/).length < 5) {
    throw new CacheConfigError(`@CacheWarmer(${options.name}) schedule must be a cron pattern like "0 * * * *"`);
  }
  return SetMetadata(CACHE_WARMER_METADATA, options);
}
