import { describe, expect, it } from 'vitest';
import { loadAppConfig } from './app-config.js';

describe('app config', () => {
  it('refuses to start in production without an admin token of at least 32 characters', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'production' })).toThrow(/CACHE_ADMIN_TOKEN is required in production/);
    expect(() => loadAppConfig({ NODE_ENV: 'production', CACHE_ADMIN_TOKEN: 'short' })).toThrow(
      /CACHE_ADMIN_TOKEN must be at least 32 characters/,
    );
    const withSecret = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) };
    expect(loadAppConfig({ ...withSecret, CACHE_ADMIN_TOKEN: 'x'.repeat(32) }).CACHE_ADMIN_TOKEN).toHaveLength(32);
    expect(loadAppConfig({ NODE_ENV: 'development' }).CACHE_ADMIN_TOKEN).toBeUndefined();
  });

  it('refuses to start in production without session secrets of at least 32 characters; rotates a list', () => {
    const token = 'x'.repeat(32);
    expect(() => loadAppConfig({ NODE_ENV: 'production', CACHE_ADMIN_TOKEN: token })).toThrow(
      /SESSION_SECRET is required in production/,
    );
    expect(() =>
      loadAppConfig({ NODE_ENV: 'production', CACHE_ADMIN_TOKEN: token, SESSION_SECRET: `${'a'.repeat(32)},short` }),
    ).toThrow(/every secret must be at least 32 characters/);
    const rotated = loadAppConfig({
      NODE_ENV: 'production',
      CACHE_ADMIN_TOKEN: token,
      SESSION_SECRET: `${'a'.repeat(32)}, ${'b'.repeat(32)}`,
    });
    expect(rotated.SESSION_SECRET).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
  });
});
