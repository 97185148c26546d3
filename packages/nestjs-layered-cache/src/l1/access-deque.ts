/** Which segment of W-TinyLFU a node lives in: admission window, main probation, main protected. */
export const WINDOW = 0;
export const PROBATION = 1;
export const PROTECTED = 2;
export type Segment = typeof WINDOW | typeof PROBATION | typeof PROTECTED;

/** One cached record, linked into exactly one segment's access-order list. */
export interface Node<V> {
  key: string;
  record: V;
  size: number;
  /** The key's salted hash, computed once: the frequency sketch is asked on every access. */
  hash: number;
  /** The store's access count at this node's last access: how long it has been idle. */
  touched: number;
  /** How often the key was seen recently (0–15), while resident: see resident-count.ts. */
  count: number;
  /** The sketch's aging count when `count` was last brought up to date. */
  epoch: number;
  /** The access count when the node was (re)placed in protected: hit since if `touched` is later. */
  placed: number;
  segment: Segment;
  prev: Node<V> | undefined;
  next: Node<V> | undefined;
}

/**
 * An intrusive doubly-linked list in access order (head: least recently used, tail: most),
 * with its entry count and byte total, so each bound is checked in O(1).
 */
export class AccessDeque<V> {
  head: Node<V> | undefined;
  tail: Node<V> | undefined;
  entries = 0;
  bytes = 0;

  constructor(readonly segment: Segment) {}

  /** Appends at the most-recently-used end. */
  push(node: Node<V>): void {
    node.segment = this.segment;
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail === undefined) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.entries++;
    this.bytes += node.size;
  }

  remove(node: Node<V>): void {
    if (node.prev === undefined) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = node.next = undefined;
    this.entries--;
    this.bytes -= node.size;
  }

  /** Marks `node` (already in this list) most recently used. */
  touch(node: Node<V>): void {
    if (node === this.tail) return;
    this.remove(node);
    this.push(node);
  }

  /** Changes a linked node's charged size. */
  resize(node: Node<V>, size: number): void {
    this.bytes += size - node.size;
    node.size = size;
  }

  clear(): void {
    this.head = this.tail = undefined;
    this.entries = this.bytes = 0;
  }
}
