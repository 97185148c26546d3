import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { loadAppConfig } from './app-config.js';

/** A secret as the README says to make one (openssl rand -base64 32). */
const random = () => randomBytes(32).toString('base64');

describe('app config', () => {
  it('refuses to start in production without an admin token of at least 32 characters', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'production' })).toThrow(/CACHE_ADMIN_TOKEN is required in production/);
    expect(() => loadAppConfig({ NODE_ENV: 'production', CACHE_ADMIN_TOKEN: 'short' })).toThrow(
      /CACHE_ADMIN_TOKEN must be at least 32 characters/,
    );
    const withSecret = { NODE_ENV: 'production', SESSION_SECRET: random() };
    expect(loadAppConfig({ ...withSecret, CACHE_ADMIN_TOKEN: random() }).CACHE_ADMIN_TOKEN).toHaveLength(44);
    expect(loadAppConfig({ NODE_ENV: 'development' }).CACHE_ADMIN_TOKEN).toBeUndefined();
  });

  it('refuses to start in production without session secrets of at least 32 characters; rotates a list', () => {
    const token = random();
    expect(() => loadAppConfig({ NODE_ENV: 'production', CACHE_ADMIN_TOKEN: token })).toThrow(
      /SESSION_SECRET is required in production/,
    );
    expect(() =>
      loadAppConfig({ NODE_ENV: 'production', CACHE_ADMIN_TOKEN: token, SESSION_SECRET: `${random()},short` }),
    ).toThrow(/every secret must be at least 32 characters/);
    const [a, b] = [random(), random()];
    const rotated = loadAppConfig({ NODE_ENV: 'production', CACHE_ADMIN_TOKEN: token, SESSION_SECRET: `${a}, ${b}` });
    expect(rotated.SESSION_SECRET).toEqual([a, b]);
  });

  it('refuses placeholder and low-entropy secrets in production, and names each', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: random(), CACHE_ADMIN_TOKEN: random() };
    // The token docker-compose.yml used to default to.
    expect(() => loadAppConfig({ ...production, CACHE_ADMIN_TOKEN: 'change-me-change-me-change-me-32chars' })).toThrow(
      /CACHE_ADMIN_TOKEN is a placeholder value/,
    );
    expect(() => loadAppConfig({ ...production, SESSION_SECRET: 's'.repeat(32) })).toThrow(
      /SESSION_SECRET has fewer than 10 distinct characters/,
    );
    expect(() => loadAppConfig({ ...production, METRICS_TOKEN: 'your-metrics-token-goes-here-0123456789' })).toThrow(
      /METRICS_TOKEN is a placeholder value/,
    );
    // Outside production, anything long enough goes (tests and demos).
    expect(loadAppConfig({ NODE_ENV: 'development', CACHE_ADMIN_TOKEN: 'x'.repeat(32) }).CACHE_ADMIN_TOKEN).toBe(
      'x'.repeat(32),
    );
  });

  it('reads TRUST_PROXY as a boolean, a hop count or a list, and the admin account as a pair', () => {
    expect(loadAppConfig({}).TRUST_PROXY).toBe(false);
    expect(loadAppConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadAppConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadAppConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadAppConfig({ TRUST_PROXY: 'a;b' })).toThrow(/TRUST_PROXY must be/);
    expect(() => loadAppConfig({ ADMIN_EMAIL: 'ops@example.com' })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD together/);
    expect(loadAppConfig({ ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'p'.repeat(12) }).ADMIN_EMAIL).toBe(
      'ops@example.com',
    );
  });
});
