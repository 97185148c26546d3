import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** Runs `sql` on the test server's maintenance connection (CREATE/DROP DATABASE cannot run in a transaction). */
async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database on the test server (for first-boot tests): its URL, and `drop` to remove it
 * once the app that used it has stopped (with the logical replication slot its CDC left behind:
 * Postgres refuses to drop a database a slot still points at).
 */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  const drop = async () => {
    await admin(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '${name}'`);
    await admin(`DROP DATABASE IF EXISTS ${name}`);
  };
  return { url: url.toString(), drop };
}
