import { CacheKeyError } from '../errors/cache-key.error.js';

/**
 * A key or tag. On a service method: a template over the arguments (`'product:{0}'`,
 * `'user:{1.id}'`) or a function of them. On a controller handler: a template over the request
 * (`'product:{params.id}'`, `'{query.page}'`, `'{body.sku}'`, `'{user.id}'`) or a function of it.
 */
export type KeyTemplate = string | ((...args: never[]) => string);
export type TagsTemplate = readonly string[] | ((...args: never[]) => readonly string[]);

const PLACEHOLDER = /\{([\w$]+)((?:\.[\w$]+)*)\}/g;

/**
 * Renders `{<root>.<property>...}` placeholders against `source` (an argument list, whose roots are
 * indexes, or a record such as `{ params, query }`); a missing value is an error, never "undefined".
 */
export function renderTemplate(template: string, source: object): string {
  return template.replace(PLACEHOLDER, (_, root: string, path: string) => {
    let value: unknown = (source as Record<string, unknown>)[root];
    for (const prop of path.split('.').slice(1)) value = (value as Record<string, unknown> | null | undefined)?.[prop];
    if (value === undefined || value === null || typeof value === 'object' || typeof value === 'function') {
      throw new CacheKeyError(
        `Cache key template "${template}" needs {${root}${path}} to be a string or number, got ${value === null ? 'null' : typeof value}.`,
      );
    }
    return String(value);
  });
}

/** A function template is called with `args` spread (a method's arguments, or `[request]`). */
export function renderKey(template: KeyTemplate, args: readonly unknown[], source: object = args): string {
  return typeof template === 'function'
    ? (template as (...a: unknown[]) => string)(...args)
    : renderTemplate(template, source);
}

export function renderTags(
  template: TagsTemplate | undefined,
  args: readonly unknown[],
  source: object = args,
): string[] {
  if (template === undefined) return [];
  if (typeof template === 'function') return [...(template as (...a: unknown[]) => readonly string[])(...args)];
  return template.map((tag) => renderTemplate(tag, source));
}
