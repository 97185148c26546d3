import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

/** Workspace packages resolve to their TypeScript sources (their `nlc-source` export condition). */
const conditions = ['nlc-source', 'node', 'development|production'];

// One run, two projects: the library (packages/nestjs-layered-cache, its own config) and the app.
export default defineConfig({
  test: {
    reporters: ['default', './test/setup/summary-reporter.ts'],
    // The default, pinned: an unhandled rejection or exception in any test process fails the run.
    dangerouslyIgnoreUnhandledErrors: false,
    projects: [
      'packages/nestjs-layered-cache/vitest.config.ts',
      {
        // swc (not esbuild) compiles the tests so that decorator metadata exists: Nest injects by type.
        plugins: [swc.vite({ module: { type: 'es6' } })],
        environments: { ssr: { resolve: { conditions } }, __vitest__: { resolve: { conditions } } },
        test: {
          name: 'app',
          include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
