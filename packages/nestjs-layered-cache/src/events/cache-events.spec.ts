import { expect, it } from 'vitest';
import { CacheEvents } from './cache-events.js';
import type { CacheEventRequest } from './cache-events.interface.js';

// A request event declared the way a feature declares its own.
declare module './cache-events.interface.js' {
  interface CacheEventMap {
    'spec:sizes': CacheEventRequest<number>;
  }
}

const warnings = () => {
  const logged: string[] = [];
  return { logged, logger: { warn: (message: string) => void logged.push(message) } };
};

it('isolates a throwing listener: the others still run, it is counted, and logged once per event', () => {
  const { logged, logger } = warnings();
  const events = new CacheEvents(logger);
  const seen: string[] = [];
  events.on('miss', () => {
    throw new Error('broken');
  });
  events.on('miss', (e) => seen.push(e.group));
  expect(() => events.emit('miss', { group: 'a' })).not.toThrow();
  events.emit('miss', { group: 'b' });
  expect(seen).toEqual(['a', 'b']);
  expect(events.listenerErrors).toBe(2);
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatch(/"miss" event failed: broken/);
});

it('lets a listener unsubscribe while an event is emitted without skipping the next one', () => {
  const events = new CacheEvents();
  const seen: number[] = [];
  const off = events.on('miss', () => (seen.push(1), off()));
  events.on('miss', () => seen.push(2));
  events.emit('miss', { group: 'g' });
  events.emit('miss', { group: 'g' });
  expect(seen).toEqual([1, 2, 2]);
  expect(events.has('miss')).toBe(true);
});

it('keeps a flag for hot paths in step with subscriptions', () => {
  const events = new CacheEvents();
  const access = events.flag('access');
  expect(access.on).toBe(false);
  const off = events.on('access', () => undefined);
  expect([access.on, events.flag('access') === access]).toEqual([true, true]);
  off();
  expect(access.on).toBe(false);
});

it('gathers the answers to a request, leaving out (and counting) the ones that reject', async () => {
  const { logged, logger } = warnings();
  const events = new CacheEvents(logger);
  expect(await events.request('spec:sizes')).toEqual([]);
  events.on('spec:sizes', (request) => request.reply(1));
  events.on('spec:sizes', (request) => request.reply(Promise.resolve(2)));
  events.on('spec:sizes', (request) => request.reply(Promise.reject(new Error('Redis is down'))));
  expect(await events.request('spec:sizes')).toEqual([1, 2]);
  expect(events.listenerErrors).toBe(1);
  expect(logged[0]).toMatch(/"spec:sizes" event failed: Redis is down/);
});
