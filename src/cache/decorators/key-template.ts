import { CacheKeyError } from '../errors/cache-key.error.js';

/** A key or tag: a template over the method's arguments (`'product:{0}'`, `'user:{1.id}'`) or a function. */
export type KeyTemplate = string | ((...args: never[]) => string);
export type TagsTemplate = readonly string[] | ((...args: never[]) => readonly string[]);

const PLACEHOLDER = /\{(\d+)((?:\.[A-Za-z_$][\w$]*)*)\}/g;

/** Renders `{<argument index>.<property>...}` placeholders; a missing value is an error, not "undefined". */
export function renderTemplate(template: string, args: readonly unknown[]): string {
  return template.replace(PLACEHOLDER, (_, index: string, path: string) => {
    let value: unknown = args[Number(index)];
    for (const prop of path.split('.').slice(1)) value = (value as Record<string, unknown> | null | undefined)?.[prop];
    if (value === undefined || value === null || typeof value === 'object') {
      throw new CacheKeyError(
        `Cache key template "${template}" needs {${index}${path}} to be a string or number, got ${value === null ? 'null' : typeof value}.`,
      );
    }
    return String(value);
  });
}

export function renderKey(template: KeyTemplate, args: readonly unknown[]): string {
  return typeof template === 'function'
    ? (template as (...a: unknown[]) => string)(...args)
    : renderTemplate(template, args);
}

export function renderTags(template: TagsTemplate | undefined, args: readonly unknown[]): string[] {
  if (template === undefined) return [];
  if (typeof template === 'function') return [...(template as (...a: unknown[]) => readonly string[])(...args)];
  return template.map((tag) => renderTemplate(tag, args));
}
