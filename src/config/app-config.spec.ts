import { describe, expect, it } from 'vitest';
import { loadAppConfig } from './app-config.js';

describe('app config', () => {
  it('refuses to start in production without an admin token of at least 32 characters', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'production' })).toThrow(/CACHE_ADMIN_TOKEN is required in production/);
    expect(() => loadAppConfig({ NODE_ENV: 'production', CACHE_ADMIN_TOKEN: 'short' })).toThrow(
      /CACHE_ADMIN_TOKEN must be at least 32 characters/,
    );
    expect(loadAppConfig({ NODE_ENV: 'production', CACHE_ADMIN_TOKEN: 'x'.repeat(32) }).CACHE_ADMIN_TOKEN).toHaveLength(
      32,
    );
    expect(loadAppConfig({ NODE_ENV: 'development' }).CACHE_ADMIN_TOKEN).toBeUndefined();
  });
});
