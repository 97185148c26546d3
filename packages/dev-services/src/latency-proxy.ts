import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/**
 * A TCP proxy in front of Redis that makes it slow on demand, for the slow-Redis tests: replies
 * can be delayed by a fixed time or held back entirely until `release()`. Requests always pass at
 * once, so Redis does the work; only its answers are late, as with a loaded server or network.
 */
export interface LatencyProxy {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  url: string;
  /** Every reply chunk from now on waits this many ms (0: none). */
  delay(ms: number): void;
  /**
   * Every reply chunk from now on also waits a random 0…`ms` ms (0: none), each connection's
   * replies still in order: a busy network or server, for the stress runs.
   */
  jitter(ms: number, random?: () => number): void;
  /** Replies are kept back until `release()`. */
  hold(): void;
  /** Sends what was kept back (in order) and stops holding. */
  release(): void;
  close(): Promise<void>;
}

export async function startLatencyProxy(target: string): Promise<LatencyProxy> {
  const upstream = new URL(target);
  let delayMs = 0;
  let jitterMs = 0;
  let randomOf: () => number = Math.random;
  let held: (() => void)[] | undefined;
  const sockets = new Set<Socket>();

  /** Each connection's replies in flight: a jittered chunk waits for the ones before it. */
  const queues = new WeakMap<Socket, Promise<void>>();
  const deliver = (client: Socket, chunk: Buffer) => {
    const send = () => void (client.destroyed || client.write(chunk));
    // Order is kept: every chunk gets the same delay, and held chunks are released in sequence.
    const later = () => {
      if (jitterMs === 0) return delayMs > 0 ? void setTimeout(send, delayMs) : send();
      // Due at a random time, but never before the chunk ahead of it (the chain keeps the order).
      const due = Date.now() + delayMs + randomOf() * jitterMs;
      const previous = queues.get(client) ?? Promise.resolve();
      const wait = () => new Promise<void>((r) => setTimeout(r, Math.max(0, due - Date.now())));
      queues.set(client, previous.then(wait).then(send));
    };
    if (held) held.push(later);
    else later();
  };

  const server: Server = createServer((client) => {
    const redis = new Socket();
    for (const socket of [client, redis]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    redis.connect(Number(upstream.port || 6379), upstream.hostname);
    client.on('data', (chunk) => redis.write(chunk));
    redis.on('data', (chunk) => deliver(client, chunk));
    client.on('close', () => redis.destroy());
    redis.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `redis://127.0.0.1:${port}${upstream.pathname}`,
    delay: (ms) => void (delayMs = ms),
    jitter: (ms, random = Math.random) => {
      jitterMs = ms;
      randomOf = random;
    },
    hold: () => void (held ??= []),
    release: () => {
      const pending = held ?? [];
      held = undefined;
      for (const send of pending) send();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
