import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { hashPassword, verifyPassword } from './password.js';
import { User } from './user.entity.js';

export interface AuthUser {
  id: number;
  email: string;
  name: string;
  roles: string[];
}

const toAuthUser = (u: User): AuthUser => ({ id: u.id, email: u.email, name: u.name, roles: u.roles });

@Injectable()
export class AuthService implements OnModuleInit {
  private readonly users: Repository<User>;
  /** Compared against when the email is unknown, so both answers take the same time. */
  private dummyHash = '';

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.users = dataSource.getRepository(User);
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hashPassword('not a real password');
  }

  /** The user, or undefined for an unknown email or a wrong password (same work either way). */
  async verify(email: string, password: string): Promise<AuthUser | undefined> {
    const user = await this.users.findOneBy({ email: email.toLowerCase() });
    const ok = await verifyPassword(password, user?.passwordHash ?? this.dummyHash);
    return user && ok ? toAuthUser(user) : undefined;
  }

  async createUser(email: string, name: string, password: string, roles: string[] = []): Promise<AuthUser> {
    const user = await this.users.save(
      this.users.create({ email: email.toLowerCase(), name, passwordHash: await hashPassword(password), roles }),
    );
    return toAuthUser(user);
  }
}
