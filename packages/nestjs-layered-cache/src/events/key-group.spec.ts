import { expect, it } from 'vitest';
import { defaultKeyGroup } from './key-group.js';

it.each([
  ['product:42', 'product'],
  ['products?page=2', 'products'],
  ['v2/items', 'v#'],
  ['12345', '#'],
])('folds %s into group %s', (key, group) => {
  expect(defaultKeyGroup(key)).toBe(group);
});
