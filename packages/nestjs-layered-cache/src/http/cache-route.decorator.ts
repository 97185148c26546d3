import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { durationProblem } from '../core/duration.js';
import { CacheConfigError } from '../errors/cache-config.error.js';
import { CACHE_ROUTE_METADATA } from './http-cache.constants.js';
import type { CacheRouteOptions } from './http-cache.interface.js';
import { HttpCacheInterceptor } from './http-cache.interceptor.js';

const SCOPES = new Set(['public', 'user', 'tenant']);

/**
 * Caches a GET/HEAD handler's response (on a controller: all its GET handlers). `false` opts a
 * route out of the global HTTP cache. Needs `CacheModule.forRoot({ isGlobal: true, ... })`.
 * `@CacheRoute({ ttl: 600_000, tags: ['product:{params.id}'], scope: 'public' })`.
 * A public route whose answer is the same for everyone: `@CacheRoute({ edge: true })` (see `edge`).
 */
export function CacheRoute(options: CacheRouteOptions | false = {}): MethodDecorator & ClassDecorator {
  if (options === false) return SetMetadata(CACHE_ROUTE_METADATA, false);
  validate(options);
  return applyDecorators(SetMetadata(CACHE_ROUTE_METADATA, options), UseInterceptors(HttpCacheInterceptor));
}

/** Mistakes fail when the controller is loaded, not on the first request. */
function validate(options: CacheRouteOptions): void {
  const problems: string[] = [];
  for (const name of ['ttl', 'grace', 'failSafe'] as const) {
    const problem = options[name] === undefined ? undefined : durationProblem(options[name], name === 'ttl' ? 1 : 0);
    if (problem) problems.push(`${name} ${problem}, got ${options[name]}`);
  }
  if (options.scope !== undefined && !SCOPES.has(options.scope)) {
    problems.push(`scope must be 'public', 'user' or 'tenant' (or left out), got ${String(options.scope)}`);
  }
  if (options.vary !== undefined && !options.vary.every((name) => /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name))) {
    problems.push(`vary must list request header names, got ${JSON.stringify(options.vary)}`);
  }
  if (
    options.query !== undefined &&
    !(Array.isArray(options.query) && options.query.every((name) => typeof name === 'string' && name !== ''))
  ) {
    problems.push(`query must list query parameter names, got ${JSON.stringify(options.query)}`);
  }
  if (
    options.edge !== undefined &&
    options.edge !== true &&
    options.edge !== false &&
    options.edge !== 'skip-global-guards'
  ) {
    problems.push(`edge must be true, false or 'skip-global-guards', got ${JSON.stringify(options.edge)}`);
  } else if (options.edge && ((options.scope ?? 'public') !== 'public' || options.vary?.length)) {
    problems.push(
      `edge needs scope 'public' (its default) and no vary: it answers before anyone is authenticated or routed`,
    );
  }
  if (problems.length > 0) throw new CacheConfigError(`Invalid @CacheRoute options: ${problems.join('; ')}.`);
}
