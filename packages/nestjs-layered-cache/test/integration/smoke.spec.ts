import { Redis } from 'ioredis';
import pg from 'pg';
import { expect, inject, it } from 'vitest';

it('reaches the harness servers', async () => {
  const redis = new Redis(inject('redisUrl'));
  expect(await redis.ping()).toBe('PONG');
  await redis.quit();
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  expect((await client.query('select 1 as one')).rows[0].one).toBe(1);
  await client.end();
});
