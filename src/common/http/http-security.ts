import { createHash, timingSafeEqual } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet, { contentSecurityPolicy } from 'helmet';
import type { AppConfig } from '../../config/app-config.js';

type Req = { headers: Record<string, string | string[] | undefined> };
type Res = {
  status(code: number): Res;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  send(body: unknown): Res;
};
type Next = () => void;

/** The cache dashboard's page carries its script inline (Swagger UI needs none). */
const INLINE_SCRIPT_PAGES = /^\/cache\/dashboard\/?$/;

const strictCsp = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // uPlot and Swagger UI set style attributes.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Off: over plain http (development, a direct test) it would send the page's assets to https.
  upgradeInsecureRequests: null,
};

/**
 * HTTP hardening that must run before any route: the proxy hops to trust (so `req.ip`, `req.secure`
 * and the Secure session cookie work behind a TLS-terminating proxy), security headers, no
 * X-Powered-By, and /metrics behind METRICS_TOKEN.
 */
export function applyHttpSecurity(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  const strict = helmet({ contentSecurityPolicy: { directives: strictCsp } });
  app.use((req: Req & { path: string }, res: Res, next: Next) => {
    if (!INLINE_SCRIPT_PAGES.test(req.path)) return strict(req as never, res as never, next);
    strict(req as never, res as never, () => {
      allowInlineScriptsOf(req, res);
      next();
    });
  });
  app.use('/metrics', metricsGuard(config));
}

/**
 * Allows exactly the inline scripts of the page being sent, by hash (not 'unsafe-inline'): the
 * page is the library's, so its hashes are computed from what is sent, once per distinct page.
 */
function allowInlineScriptsOf(req: Req, res: Res): void {
  const send = res.send.bind(res);
  res.send = (body: unknown) => {
    if (typeof body === 'string') pagePolicy(body)(req as never, res as never, () => undefined);
    return send(body);
  };
}

const pagePolicies = new Map<string, ReturnType<typeof contentSecurityPolicy>>();
function pagePolicy(html: string): ReturnType<typeof contentSecurityPolicy> {
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    ([, script]) => `'sha256-${createHash('sha256').update(script!).digest('base64')}'`,
  );
  const key = hashes.join(' ');
  let policy = pagePolicies.get(key);
  if (!policy) {
    policy = contentSecurityPolicy({ directives: { ...strictCsp, scriptSrc: ["'self'", ...hashes] } });
    pagePolicies.set(key, policy);
  }
  return policy;
}

/** Swagger UI (/docs, /docs-json): DOCS_ENABLED, else on outside production only. */
export function docsEnabled(config: AppConfig): boolean {
  return config.DOCS_ENABLED ?? config.NODE_ENV !== 'production';
}

/** With METRICS_TOKEN: a bearer token is needed. Without: open outside production, absent (404) in it. */
function metricsGuard(config: AppConfig) {
  const token = config.METRICS_TOKEN === undefined ? undefined : Buffer.from(config.METRICS_TOKEN);
  return (req: Req, res: Res, next: Next) => {
    if (token === undefined) {
      if (config.NODE_ENV !== 'production') return next();
      return res
        .status(404)
        .json({ statusCode: 404, error: 'Not Found', message: 'Set METRICS_TOKEN to expose /metrics' });
    }
    const header = req.headers.authorization;
    const given = Buffer.from(typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '');
    if (given.length === token.length && timingSafeEqual(given, token)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    return res.status(401).json({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
    });
  };
}
