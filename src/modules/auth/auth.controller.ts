import { Body, Controller, Get, HttpCode, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { z } from 'zod';
import { SessionService, type SessionSummary } from 'nestjs-layered-cache/session';
import { ZodValidationPipe } from '../../common/pipes/index.js';
import { AuthService, type AuthUser } from './auth.service.js';
import { SessionGuard, type SessionRequest } from './session.guard.js';

const loginSchema = z.strictObject({
  email: z.string().trim().email('must be an email address').max(200),
  password: z.string().min(1, 'must not be empty').max(200),
});

type ExpressSession = NonNullable<SessionRequest['session']> & {
  id: string;
  regenerate(cb: (err?: unknown) => void): void;
  save(cb: (err?: unknown) => void): void;
  destroy(cb: (err?: unknown) => void): void;
  device?: string;
  createdAt?: number;
};
type AuthRequest = SessionRequest & { session: ExpressSession; headers: Record<string, string | undefined> };

const call = (fn: (cb: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err as Error) : resolve())));

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
  ) {}

  /** Same answer, same work, for an unknown email and a wrong password; the session id changes at login. */
  @Post('login')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  async login(@Body(new ZodValidationPipe(loginSchema)) body: z.infer<typeof loginSchema>, @Req() req: AuthRequest) {
    const user = await this.auth.verify(body.email, body.password);
    if (!user) throw new UnauthorizedException('Invalid email or password');
    await call((cb) => req.session.regenerate(cb));
    const now = Date.now();
    Object.assign(req.session, {
      user: { id: user.id, roles: user.roles, email: user.email },
      device: req.headers['user-agent'] ?? null,
      createdAt: now,
      lastSeenAt: now,
    });
    await call((cb) => req.session.save(cb));
    return { user };
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(SessionGuard)
  async logout(@Req() req: AuthRequest): Promise<void> {
    await call((cb) => req.session.destroy(cb));
  }

  /** "Log out everywhere": every session of this user, this one included. */
  @Post('logout-all')
  @HttpCode(200)
  @UseGuards(SessionGuard)
  async logoutAll(@Req() req: AuthRequest): Promise<{ revoked: number }> {
    const revoked = await this.sessions.revokeAll(req.user!.id);
    return { revoked };
  }

  @Get('me')
  @UseGuards(SessionGuard)
  me(@Req() req: AuthRequest): { user: Partial<AuthUser> } {
    return { user: req.user as Partial<AuthUser> };
  }

  @Get('sessions')
  @UseGuards(SessionGuard)
  list(@Req() req: AuthRequest): Promise<SessionSummary[]> {
    return this.sessions.listSessions(req.user!.id, req.session.id);
  }
}
