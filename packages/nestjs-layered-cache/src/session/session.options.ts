export interface CacheSessionOptions {
  /** Signs the cookie. An array rotates secrets: the first signs, all verify. ≥ 32 characters each in production. */
  secret: string | string[];
  /** Sliding lifetime, ms. Default 2 h. */
  ttl?: number;
  /** Cookie name. Default `sid`. */
  cookieName?: string;
  /** `Secure` cookie. Default: true when NODE_ENV is production. */
  secure?: boolean;
  /** Default `lax`. */
  sameSite?: 'lax' | 'strict' | 'none';
}

export const CACHE_SESSION_OPTIONS = Symbol('CACHE_SESSION_OPTIONS');

/** What our session middleware puts on a request when Redis could not be asked: routes answer 503. */
export const SESSION_UNAVAILABLE = 'sessionUnavailable';
