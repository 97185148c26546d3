import type { CacheEventListener, CacheEventMap, CacheEventName } from './cache-events.interface.js';

/**
 * A minimal typed emitter. Emitting with no listener costs one property read, so the hit path
 * stays cheap; a throwing listener is isolated from the cache operation that emitted.
 */
export class CacheEvents {
  private readonly listeners: { [E in CacheEventName]?: CacheEventListener<E>[] } = {};

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends CacheEventName>(name: E, listener: CacheEventListener<E>): () => void {
    const list = (this.listeners[name] ??= []) as CacheEventListener<E>[];
    list.push(listener);
    return () => {
      const index = list.indexOf(listener);
      if (index >= 0) list.splice(index, 1);
    };
  }

  has(name: CacheEventName): boolean {
    return (this.listeners[name]?.length ?? 0) > 0;
  }

  emit<E extends CacheEventName>(name: E, event: CacheEventMap[E]): void {
    const list = this.listeners[name] as CacheEventListener<E>[] | undefined;
    if (list === undefined) return;
    for (const listener of list) {
      try {
        listener(event);
      } catch {
        // A metrics listener must never break a cache operation.
      }
    }
  }
}
