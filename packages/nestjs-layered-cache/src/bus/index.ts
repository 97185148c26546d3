export type { BusMessage } from './bus-message.js';
export { CacheBus, type BusListener } from './cache-bus.js';
