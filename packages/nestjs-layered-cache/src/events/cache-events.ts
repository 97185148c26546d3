import type { Logger } from '@nestjs/common';
import type {
  CacheEventListener,
  CacheEventMap,
  CacheEventName,
  CacheRequestAnswer,
  CacheRequestName,
} from './cache-events.interface.js';

/**
 * The one typed emitter of a cache module: the engine's events and the features' (see
 * CacheEventMap). Emitting with no listener costs one property read, so the hit path stays cheap.
 * A throwing listener is isolated from the operation that emitted and from the other listeners:
 * counted in `listenerErrors`, logged once per event name.
 */
export class CacheEvents {
  // Copy-on-write lists: a listener that unsubscribes (or subscribes) during an emit changes
  // nothing about that emit.
  private readonly listeners: { [E in CacheEventName]?: readonly CacheEventListener<E>[] } = {};
  private readonly flags: { [E in CacheEventName]?: { on: boolean } } = {};
  private readonly warned = new Set<string>();
  /** Listener calls that threw (and requests' answers that rejected) since boot. */
  listenerErrors = 0;

  constructor(private readonly logger?: Pick<Logger, 'warn'>) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends CacheEventName>(name: E, listener: CacheEventListener<E>): () => void {
    const lists = this.listeners as { [K in CacheEventName]?: readonly CacheEventListener<E>[] };
    lists[name] = [...(lists[name] ?? []), listener];
    this.update(name);
    return () => {
      lists[name] = (lists[name] ?? []).filter((l) => l !== listener);
      this.update(name);
    };
  }

  has(name: CacheEventName): boolean {
    return (this.listeners[name]?.length ?? 0) > 0;
  }

  /**
   * A live view of whether `name` has listeners, for hot paths: `flag.on` is one property read,
   * where `has(name)` is a lookup by name (which costs the hit path measurably when it is one of many).
   */
  flag(name: CacheEventName): { readonly on: boolean } {
    return (this.flags[name] ??= { on: this.has(name) });
  }

  private update(name: CacheEventName): void {
    const flag = this.flags[name];
    if (flag) flag.on = this.has(name);
  }

  emit<E extends CacheEventName>(name: E, event: CacheEventMap[E]): void {
    const list = this.listeners[name] as readonly CacheEventListener<E>[] | undefined;
    if (list === undefined) return;
    for (const listener of list) {
      try {
        listener(event);
      } catch (error) {
        this.failed(name, error);
      }
    }
  }

  /**
   * Emits request `name` and resolves with every listener's answer (none without listeners).
   * An answer that rejects is left out, counted and logged like a throwing listener.
   */
  async request<E extends CacheRequestName>(name: E): Promise<CacheRequestAnswer<E>[]> {
    if (!this.has(name)) return [];
    const answers: PromiseLike<CacheRequestAnswer<E>>[] = [];
    const event = {
      reply: (answer: CacheRequestAnswer<E> | PromiseLike<CacheRequestAnswer<E>>) => {
        answers.push(Promise.resolve(answer));
      },
    };
    this.emit(name, event as unknown as CacheEventMap[E]);
    const settled = await Promise.allSettled(answers);
    const values: CacheRequestAnswer<E>[] = [];
    for (const answer of settled) {
      if (answer.status === 'fulfilled') values.push(answer.value);
      else this.failed(name, answer.reason);
    }
    return values;
  }

  private failed(name: string, error: unknown): void {
    this.listenerErrors++;
    if (this.warned.has(name)) return;
    this.warned.add(name);
    const message = error instanceof Error ? error.message : String(error);
    this.logger?.warn(
      `A listener of the cache's "${name}" event failed: ${message}. The cache went on; later failures of "${name}" listeners are counted in stats().listenerErrors, not logged.`,
    );
  }
}
