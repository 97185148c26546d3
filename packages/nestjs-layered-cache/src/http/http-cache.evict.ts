import type { CacheService } from '../cache.service.js';
import type { CacheEvictOptions } from '../decorators/cache-decorators.interface.js';
import { renderKey, renderTags } from '../decorators/key-template.js';
import type { HttpRequestLike } from './http-cache.interface.js';

/** What `{params.id}`-style templates on controllers can read. */
export function templateSource(req: HttpRequestLike): object {
  return {
    params: req.params ?? {},
    query: req.query ?? {},
    body: req.body ?? {},
    user: req.user,
    headers: req.headers,
  };
}

/** `@CacheEvict` of a write request: deletes its keys and invalidates its tags (rejects on cache trouble). */
export async function evictFor(cache: CacheService, options: CacheEvictOptions, req: HttpRequestLike): Promise<void> {
  const source = templateSource(req);
  const view = options.namespace ? cache.namespace(options.namespace) : cache;
  const keys = (options.keys ?? []).map((key) => renderKey(key, [req], source));
  const tags = renderTags(options.tags, [req], source);
  await Promise.all([...keys.map((key) => view.delete(key)), tags.length > 0 && view.invalidateTags(tags, 'http')]);
}
