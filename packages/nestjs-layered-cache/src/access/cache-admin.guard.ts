import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import { CACHE_ADMIN_OPTIONS, type CacheAdminOptions } from './cache-admin.options.js';

interface AdminRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: { id?: unknown; roles?: unknown };
  session?: { user?: { id?: unknown; roles?: unknown } };
  /** Who passed the guard, for the audit log. */
  cacheAdmin?: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Admin routes: `Authorization: Bearer <token>` (constant-time comparison of digests, so neither
 * content nor length leaks), or an authenticated user with the admin role. No credentials: 401;
 * wrong token or not an admin: 403. The token comes from `CacheAdminModule.forRoot()`; the routes
 * of other features (warming, write-behind) use this guard too, and without the admin module they
 * refuse every call (403) rather than run unguarded.
 */
@Injectable()
export class CacheAdminGuard implements CanActivate {
  private readonly token: Buffer | undefined;
  private readonly role: string;

  constructor(@Optional() @Inject(CACHE_ADMIN_OPTIONS) options?: CacheAdminOptions | null) {
    this.token = options ? digest(options.token) : undefined;
    this.role = options?.role ?? 'admin';
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.token) throw new ForbiddenException('Admin routes are off: import CacheAdminModule.forRoot({ token })');
    const req = context.switchToHttp().getRequest<AdminRequest>();
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && /^Bearer /i.test(auth)) {
      if (!timingSafeEqual(digest(auth.slice(7).trim()), this.token))
        throw new ForbiddenException('Invalid admin token');
      req.cacheAdmin = 'token';
      return true;
    }
    const user = req.user ?? req.session?.user;
    if (user) {
      if (Array.isArray(user.roles) && user.roles.includes(this.role)) {
        req.cacheAdmin = `user:${String(user.id)}`;
        return true;
      }
      throw new ForbiddenException(`The ${this.role} role is required`);
    }
    throw new UnauthorizedException('Admin credentials required: Authorization: Bearer <CACHE_ADMIN_TOKEN>');
  }
}
