import type { DataSource } from 'typeorm';
import { hashPassword } from './password.js';

export const DEMO_USERS = [
  { email: 'admin@example.com', name: 'Demo admin', password: 'admin-demo-password', roles: ['admin'] },
  { email: 'user@example.com', name: 'Demo user', password: 'user-demo-password', roles: [] as string[] },
];

/** The two demo accounts, outside production only, once. */
export async function seedUsers(dataSource: DataSource): Promise<boolean> {
  const [{ n }] = (await dataSource.query('SELECT count(*)::int AS n FROM users')) as [{ n: number }];
  if (n > 0) return false;
  for (const u of DEMO_USERS) {
    await dataSource.query(
      'INSERT INTO users (email, name, password_hash, roles) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING',
      [u.email, u.name, await hashPassword(u.password), u.roles],
    );
  }
  return true;
}
