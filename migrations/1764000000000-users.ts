import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Users1764000000000 implements MigrationInterface {
  name = 'Users1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE users (
        id serial PRIMARY KEY,
        email varchar(200) NOT NULL UNIQUE,
        name varchar(100) NOT NULL,
        password_hash varchar(200) NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE users`);
  }
}
