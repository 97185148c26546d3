import { Module, type DynamicModule } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { RedisThrottlerStorage } from 'nestjs-layered-cache/session';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';

type LoginRequest = { ip?: string; body?: { email?: unknown } };

/** Login attempts allowed per minute. */
export interface LoginLimits {
  perIp: number;
  perAccount: number;
}

@Module({})
export class AuthModule {
  static forRoot(limits: LoginLimits): DynamicModule {
    const account = (req: LoginRequest) =>
      String(req.body?.email ?? '')
        .trim()
        .toLowerCase();
    return {
      module: AuthModule,
      imports: [
        // Login attempts per IP and per account, counted in Redis (so across instances and restarts).
        ThrottlerModule.forRootAsync({
          inject: [RedisThrottlerStorage],
          useFactory: (storage: RedisThrottlerStorage) => ({
            storage,
            throttlers: [
              { name: 'login-ip', ttl: 60_000, limit: limits.perIp, getTracker: (req: LoginRequest) => req.ip ?? '?' },
              { name: 'login-account', ttl: 60_000, limit: limits.perAccount, getTracker: account },
            ],
          }),
        }),
      ],
      controllers: [AuthController],
      providers: [AuthService],
      exports: [AuthService],
    };
  }
}
