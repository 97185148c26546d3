/**
 * The tags the invalidation subscriber bumps for an entity named `product`:
 * - `product`        the collection: any insert, update or removal of any product;
 * - `product:42`     one row: its insert, update or removal through save()/insert()/remove();
 * - `product:*`      bulk: `update()`/`delete()` whose rows the subscriber cannot see.
 * An entry built from one row carries `entityTags.row(…)`; one built from many rows carries the
 * collection tag (or rule tags such as `category:3` plus the bulk tag).
 */
export const entityTags = {
  collection: (entity: string): string => entity,
  row: (entity: string, id: string | number): string[] => [`${entity}:${id}`, `${entity}:*`],
  bulk: (entity: string): string => `${entity}:*`,
};

/** `Product` → `product`, `StockLevel` → `stockLevel`: the tag name of an entity class. */
export function entityTagName(className: string): string {
  return className.charAt(0).toLowerCase() + className.slice(1);
}
