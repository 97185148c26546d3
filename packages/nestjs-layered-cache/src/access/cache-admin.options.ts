export interface CacheAdminOptions {
  /** Bearer token of admin calls, compared in constant time. Use ≥ 32 random characters. */
  token: string;
  /** Role a request's authenticated user (`req.user.roles` or `req.session.user.roles`) needs instead. Default `admin`. */
  role?: string;
  /** Samples kept for the dashboard. Default 360 (30 min at the default interval). */
  historySize?: number;
  /** How often the dashboard's history is sampled, ms. Default 5000. */
  historyInterval?: number;
}

export const CACHE_ADMIN_OPTIONS = Symbol('CACHE_ADMIN_OPTIONS');
