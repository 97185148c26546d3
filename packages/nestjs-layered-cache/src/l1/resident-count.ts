import type { Node } from './access-deque.js';
import type { FrequencySketch } from './frequency-sketch.js';

/** Counts saturate here, as the sketch's 4-bit counters do. */
const MAX_COUNT = 15;

/**
 * How often a resident key was seen recently. While a key is in the store its count lives in its
 * node, not in the frequency sketch: exact (no collisions), and a hit touches no sketch memory,
 * which on a cache of 10,000 entries is a 128 KiB table and a cache miss per lookup. The sketch
 * keeps the history of keys that are not resident: a node starts from the sketch's estimate and
 * gives its count back when it leaves (`retire`).
 *
 * Aged lazily, as the sketch ages its counters: each aging halves them, so a node that last looked
 * `agings` agings ago halves its count that many times.
 */
export function residentFrequency(node: Node<unknown>, sketch: FrequencySketch): number {
  const agings = sketch.resets - node.epoch;
  if (agings !== 0) {
    node.count = agings >= 4 ? 0 : node.count >>> agings;
    node.epoch = sketch.resets;
  }
  return node.count;
}

/** Counts a sighting of a resident key; it brings the sketch's next aging closer like any other. */
export function countSighting(node: Node<unknown>, sketch: FrequencySketch): void {
  const count = residentFrequency(node, sketch);
  if (count < MAX_COUNT) {
    node.count = count + 1;
    sketch.countAddition();
  }
}

/** Hands a leaving node's count back to the sketch: a key asked for again starts from what it had. */
export function retire(node: Node<unknown>, sketch: FrequencySketch): void {
  sketch.raise(node.hash, residentFrequency(node, sketch));
}
