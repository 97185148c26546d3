import { Module, type DynamicModule } from '@nestjs/common';
import type { RedisTopology } from 'nestjs-layered-cache';
import { AuthController, AUTH_COOKIE } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LOGIN_LIMITS, LOGIN_REDIS, LoginLimiter, type LoginLimits } from './login-limiter.service.js';

export type { LoginLimits } from './login-limiter.service.js';

export interface AuthOptions {
  limits: LoginLimits;
  /** Where login counters live (the cache's Redis) and their key prefix. */
  redis: RedisTopology;
  prefix: string;
  /** The session cookie's `Secure` attribute, repeated when logout clears it. */
  secureCookie: boolean;
}

@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      controllers: [AuthController],
      providers: [
        AuthService,
        LoginLimiter,
        { provide: LOGIN_LIMITS, useValue: options.limits },
        { provide: LOGIN_REDIS, useValue: { topology: options.redis, prefix: options.prefix } },
        { provide: AUTH_COOKIE, useValue: { secure: options.secureCookie } },
      ],
      exports: [AuthService],
    };
  }
}
