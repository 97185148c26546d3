import type { DataSource } from 'typeorm';
import { hashPassword } from './password.js';

/**
 * The account of ADMIN_EMAIL / ADMIN_PASSWORD, created if no user has that email: production seeds
 * no demo users, so this is the first way in. An existing account is left as it is (its password
 * may have been changed since), so the variables can stay set.
 */
export async function ensureAdminAccount(dataSource: DataSource, email: string, password: string): Promise<boolean> {
  const rows = (await dataSource.query(
    `INSERT INTO users (email, name, password_hash, roles) VALUES ($1, 'Administrator', $2, '{admin}')
     ON CONFLICT (email) DO NOTHING RETURNING id`,
    [email.toLowerCase(), await hashPassword(password)],
  )) as unknown[];
  return rows.length > 0;
}
