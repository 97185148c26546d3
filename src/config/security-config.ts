import { z } from 'zod';

/**
 * Values copied from docs, examples and old defaults. A production secret that looks like one of
 * them is refused: it is public, so it protects nothing.
 */
const PLACEHOLDER =
  /change-?me|replace-?me|your[-_]|example|placeholder|development-only|not-for-production|secret{2,}/i;
const MIN_DISTINCT_CHARACTERS = 10;

/** Why a production secret is unfit, or undefined when it is fine. */
export function weakSecretReason(value: string): string | undefined {
  if (PLACEHOLDER.test(value)) return 'is a placeholder value; generate one (e.g. `openssl rand -base64 32`)';
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS)
    return `has fewer than ${MIN_DISTINCT_CHARACTERS} distinct characters; generate a random one (e.g. \`openssl rand -base64 32\`)`;
  return undefined;
}

/**
 * `trust proxy` for Express: `false` (default, clients connect directly), `true` (every hop: only
 * behind a proxy that overwrites X-Forwarded-For), a hop count, or addresses/subnets/names such
 * as `loopback, 10.0.0.0/8`.
 */
export type TrustProxy = boolean | number | string[];

function parseTrustProxy(value: string): TrustProxy {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim());
}

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

/** The settings of this file, merged into the app's configuration schema. */
export const securitySettings = {
  TRUST_PROXY: z
    .string()
    .refine(
      (v) => /^(true|false|\d{1,2}|[\w.:/\s,-]+)$/.test(v.trim()),
      'TRUST_PROXY must be true, false, a hop count, or a comma-separated list of addresses/subnets',
    )
    .transform(parseTrustProxy)
    .default(false),
  /** Bearer token for GET /metrics. Required to expose /metrics in production; optional elsewhere. */
  METRICS_TOKEN: z.string().min(32, 'METRICS_TOKEN must be at least 32 characters').optional(),
  /** Swagger UI at /docs and its JSON at /docs-json. Default: on, except in production. */
  DOCS_ENABLED: flag.optional(),
  /** An admin account created at boot if no user has this email (the way in to a production install). */
  ADMIN_EMAIL: z.email('ADMIN_EMAIL must be an email address').optional(),
  ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD must be at least 12 characters').max(200).optional(),
  /** Failed logins per minute for one account from all addresses together (per address: LOGIN_LIMIT_PER_ACCOUNT). */
  LOGIN_LIMIT_PER_ACCOUNT_ANY_IP: z.coerce.number().int().positive().default(50),
  /** Largest decoded image accepted for OCR, in pixels (width × height). */
  DOCUMENTS_MAX_PIXELS: z.coerce.number().int().positive().default(40_000_000),
};

interface SecurityConfig {
  NODE_ENV: string;
  CACHE_ADMIN_TOKEN?: string;
  SESSION_SECRET?: string[];
  METRICS_TOKEN?: string;
  ADMIN_EMAIL?: string;
  ADMIN_PASSWORD?: string;
}

/** Production refuses secrets that protect nothing; the admin account needs both its variables. */
export function securityIssues(c: SecurityConfig): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if ((c.ADMIN_EMAIL === undefined) !== (c.ADMIN_PASSWORD === undefined))
    issues.push({ path: 'ADMIN_EMAIL', message: 'set ADMIN_EMAIL and ADMIN_PASSWORD together, or neither' });
  if (c.NODE_ENV !== 'production') return issues;
  const secrets: [string, string | undefined][] = [
    ['CACHE_ADMIN_TOKEN', c.CACHE_ADMIN_TOKEN],
    ['METRICS_TOKEN', c.METRICS_TOKEN],
    ['ADMIN_PASSWORD', c.ADMIN_PASSWORD],
    ...(c.SESSION_SECRET ?? []).map((s): [string, string] => ['SESSION_SECRET', s]),
  ];
  for (const [name, value] of secrets) {
    const reason = value === undefined ? undefined : weakSecretReason(value);
    if (reason) issues.push({ path: name, message: `${name} ${reason}` });
  }
  return issues;
}
