import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable.filter.js';

/** What the real pg client raises, caught: the errors the app's timeouts produce. */
async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('isDatabaseUnavailable on the errors of the DATABASE_* timeouts', () => {
  // Accepts connections and never answers: a stalled Postgres.
  let silent: Server;
  let silentPort: number;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('statement_timeout (SQLSTATE 57014), wrapped by TypeORM as the app sees it', async () => {
    const client = new pg.Client({ connectionString: inject('databaseUrl'), statement_timeout: 50 });
    await client.connect();
    try {
      const error = await errorOf(() => client.query('SELECT pg_sleep(2)'));
      expect((error as { code?: string }).code).toBe('57014');
      expect(isDatabaseUnavailable(new QueryFailedError('SELECT pg_sleep(2)', [], error as Error))).toBe(true);
    } finally {
      await client.end();
    }
  });

  it('the pool gives up connecting to a server that never answers (connectionTimeoutMillis)', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: silentPort, connectionTimeoutMillis: 200 });
    pool.on('error', () => undefined);
    const error = await errorOf(() => pool.query('SELECT 1'));
    await pool.end();
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('waiting for a free pooled connection past connectionTimeoutMillis', async () => {
    const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1, connectionTimeoutMillis: 200 });
    const held = await pool.connect();
    const error = await errorOf(() => pool.query('SELECT 1'));
    held.release();
    await pool.end();
    expect((error as Error).message).toMatch(/timeout exceeded when trying to connect/);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('query_timeout: no answer on an open connection', async () => {
    const client = new pg.Client({ connectionString: inject('databaseUrl'), query_timeout: 100 });
    await client.connect();
    try {
      // pg_sleep on the server stands for a server that does not answer; the client stops waiting first.
      const error = await errorOf(() => client.query('SELECT pg_sleep(1)'));
      expect((error as Error).message).toBe('Query read timeout');
      expect(isDatabaseUnavailable(new QueryFailedError('SELECT pg_sleep(1)', [], error as Error))).toBe(true);
    } finally {
      await client.end();
    }
  });

  it('a wrong query stays a wrong query (not a 503)', async () => {
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      const error = await errorOf(() => client.query('SELECT * FROM no_such_table'));
      expect(isDatabaseUnavailable(new QueryFailedError('x', [], error as Error))).toBe(false);
    } finally {
      await client.end();
    }
  });
});
