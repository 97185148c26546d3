/**
 * Folds a key into a low-cardinality group for metrics and stats: the first segment before `:`,
 * `/` or `?`, with digit runs replaced by `#` (`product:42` → `product`, `v2` → `v#`).
 */
export function defaultKeyGroup(key: string): string {
  const end = key.search(/[:/?]/);
  const head = end === -1 ? key : key.slice(0, end);
  return head.replace(/\d+/g, '#').slice(0, 48) || '_';
}
