import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { SESSION_UNAVAILABLE, type SessionUser } from 'nestjs-layered-cache/session';

export interface SessionRequest {
  session?: { user?: SessionUser; lastSeenAt?: number };
  user?: SessionUser;
  [SESSION_UNAVAILABLE]?: boolean;
}

/** Routes that need a logged-in user: 401 without one, 503 when the session store cannot answer. */
@Injectable()
export class SessionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<SessionRequest>();
    if (req[SESSION_UNAVAILABLE])
      throw new ServiceUnavailableException('Sessions are unavailable right now; try again shortly');
    const user = req.session?.user;
    if (!user) throw new UnauthorizedException('Log in first (POST /auth/login)');
    req.user = user;
    return true;
  }
}

/** The session's user may act for `ownerId`: it is theirs, or they are an admin. */
export function mayAccess(user: SessionUser | undefined, ownerId: string | number): boolean {
  return user !== undefined && (String(user.id) === String(ownerId) || (user.roles ?? []).includes('admin'));
}
