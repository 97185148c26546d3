/**
 * Values for the L1 memory benchmark, generated from an index so the benchmark never holds them:
 * what the heap keeps after a fill is only what the cache stores.
 */
export interface Workload {
  kind: string;
  /** Entries per round: enough that per-entry noise (a few MiB of GC slack) vanishes. */
  entries: number;
  value(i: number): unknown;
  tags(i: number): string[];
}

const WORDS = ['steel', 'oak', 'blue', 'compact', 'premium', 'outdoor', 'classic', 'wireless', 'eco', 'pro'];
const words = (seed: number, n: number): string =>
  Array.from({ length: n }, (_, k) => WORDS[(seed * 7 + k * 3) % WORDS.length]!).join(' ');

function product(id: number, dated: boolean): Record<string, unknown> {
  const p: Record<string, unknown> = {
    id,
    sku: `SKU-${String(id).padStart(6, '0')}`,
    name: `${words(id, 3)} ${id}`,
    description: `${words(id + 1, 12)}. Product ${id} of the sample catalog, shipped in ${1 + (id % 5)} days.`,
    price: 9.99 + (id % 100),
    stock: id % 50,
    category: `cat-${id % 12}`,
    active: id % 7 !== 0,
    labels: id % 3 === 0 ? ['new', 'sale'] : ['new'],
  };
  if (dated) p.updatedAt = new Date(1_700_000_000_000 + id * 1000);
  return p;
}

const ONE_BYTE = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. ';
/** '—' and '€' are outside Latin-1: V8 keeps such strings two bytes per character. */
const TWO_BYTE = 'Prix — 12 € TTC, livraison offerte dès 50 € d’achat. ';

export const WORKLOADS: readonly Workload[] = [
  {
    kind: 'small objects',
    entries: 20_000,
    value: (i) => ({ id: i, email: `user${i}@example.com`, name: `User ${i}`, active: i % 2 === 0, score: i * 0.37 }),
    tags: (i) => [`user:${i}`],
  },
  {
    kind: 'product pages',
    entries: 2_000,
    // 20–50 products; every other page carries Dates (so it is copied per read, not frozen).
    value: (i) => Array.from({ length: 20 + (i % 31) }, (_, k) => product(i * 50 + k, i % 2 === 1)),
    tags: (i) => [`page:${i}`, 'products'],
  },
  {
    kind: 'binary (Buffer)',
    entries: 5_000,
    value: (i) => Buffer.alloc(1024 + ((i * 37) % 6144), i % 251),
    tags: () => ['images'],
  },
  {
    kind: 'strings',
    entries: 20_000,
    // 80–1 100 characters; every third one two-byte.
    value: (i) => (i % 3 === 0 ? TWO_BYTE : ONE_BYTE).repeat(1 + (i % 20)) + String(i),
    tags: () => [],
  },
];
