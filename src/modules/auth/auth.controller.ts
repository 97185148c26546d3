import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';
import { SessionService, type SessionSummary } from 'nestjs-layered-cache/session';
import { ZodValidationPipe } from '../../common/pipes/index.js';
import { AuthService, type AuthUser } from './auth.service.js';
import { LoginLimiter } from './login-limiter.service.js';
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

/** The session cookie's attributes that logout repeats to clear it (express-session's name: `sid`). */
export const AUTH_COOKIE = Symbol('AUTH_COOKIE');
const COOKIE_NAME = 'sid';
interface CookieResponse {
  setHeader(name: string, value: string): void;
  clearCookie(name: string, options: object): void;
}

/** Holds a user's data: no shared cache may store it, and no browser cache keep it. */
const PRIVATE = ['Cache-Control', 'private, no-store'] as const;

const call = (fn: (cb: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err as Error) : resolve())));

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly limiter: LoginLimiter,
    @Inject(AUTH_COOKIE) private readonly cookie: { secure: boolean },
  ) {}

  /** Same answer, same work, for an unknown email and a wrong password; the session id changes at login. */
  @Post('login')
  @HttpCode(200)
  @Header(...PRIVATE)
  async login(
    @Body(new ZodValidationPipe(loginSchema)) body: z.infer<typeof loginSchema>,
    @Req() req: AuthRequest & { ip?: string },
    @Res({ passthrough: true }) res: CookieResponse,
  ) {
    const succeeded = await this.limiter.attempt(body.email, req.ip ?? '?', (name, value) =>
      res.setHeader(name, value),
    );
    const user = await this.auth.verify(body.email, body.password);
    if (!user) throw new UnauthorizedException('Invalid email or password');
    succeeded();
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
  async logout(@Req() req: AuthRequest, @Res({ passthrough: true }) res: CookieResponse): Promise<void> {
    await call((cb) => req.session.destroy(cb));
    res.clearCookie(COOKIE_NAME, { path: '/', httpOnly: true, sameSite: 'lax', secure: this.cookie.secure });
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
  @Header(...PRIVATE)
  @UseGuards(SessionGuard)
  me(@Req() req: AuthRequest): { user: Partial<AuthUser> } {
    return { user: req.user as Partial<AuthUser> };
  }

  @Get('sessions')
  @Header(...PRIVATE)
  @UseGuards(SessionGuard)
  list(@Req() req: AuthRequest): Promise<SessionSummary[]> {
    return this.sessions.listSessions(req.user!.id, req.session.id);
  }
}
