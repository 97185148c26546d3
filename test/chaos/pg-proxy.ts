import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/**
 * A TCP proxy in front of Postgres that the chaos suite controls:
 * - `stall()`: connections stay open (new ones are accepted) and bytes in both directions are held,
 *   as with a frozen server or a black-holed network; `restore()` delivers them in order.
 * - `refuse()`: every open connection is cut and new ones are closed at once (the server is gone).
 */
export interface PgProxy {
  /** The database URL with the proxy's port. */
  url: string;
  stall(): void;
  refuse(): void;
  restore(): void;
  close(): Promise<void>;
}

type Mode = 'pass' | 'stall' | 'refuse';

export async function startPgProxy(databaseUrl: string): Promise<PgProxy> {
  const upstream = new URL(databaseUrl);
  let mode: Mode = 'pass';
  /** Sends held back while stalled, in arrival order (across connections: order only matters per socket). */
  let held: (() => void)[] = [];
  const pairs = new Set<[Socket, Socket]>();

  const forward = (to: Socket, chunk: Buffer) => {
    const send = () => void (to.destroyed || to.write(chunk));
    if (mode === 'stall') held.push(send);
    else send();
  };

  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    const db = new Socket();
    db.on('error', () => undefined);
    const pair: [Socket, Socket] = [client, db];
    pairs.add(pair);
    db.connect(Number(upstream.port || 5432), upstream.hostname);
    client.on('data', (chunk: Buffer) => forward(db, chunk));
    db.on('data', (chunk: Buffer) => forward(client, chunk));
    client.on('close', () => db.destroy());
    db.on('close', () => {
      client.destroy();
      pairs.delete(pair);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  const cutAll = () => {
    for (const [client, db] of pairs) {
      client.destroy();
      db.destroy();
    }
    pairs.clear();
    held = [];
  };

  return {
    url: url.toString(),
    stall: () => void (mode = 'stall'),
    refuse: () => {
      mode = 'refuse';
      cutAll();
    },
    restore: () => {
      mode = 'pass';
      const pending = held;
      held = [];
      for (const send of pending) send();
    },
    close: async () => {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
