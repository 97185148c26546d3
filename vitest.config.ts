import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// swc (not esbuild) compiles the tests so that decorator metadata exists: Nest injects by type.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The default, pinned: an unhandled rejection or exception in any test process fails the run.
    dangerouslyIgnoreUnhandledErrors: false,
    reporters: ['default', './test/setup/summary-reporter.ts'],
  },
});
