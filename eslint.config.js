import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/', '**/dist-bench/', '**/node_modules/', '.data/', '**/coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // TypeScript already checks names; this rule does not know Node's globals.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Nest injects by the runtime class named in a constructor, so those imports must stay values.
    files: [
      '**/src/**/*.service.ts',
      '**/src/**/*.controller.ts',
      '**/src/**/*.module.ts',
      '**/src/**/*.guard.ts',
      '**/src/**/*.interceptor.ts',
      '**/src/**/*.subscriber.ts',
      '**/src/**/*.explorer.ts',
      '**/src/**/*.processor.ts',
      '**/src/**/*.warmers.ts',
    ],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Type-aware rules: a promise nobody awaits or catches becomes an unhandled rejection, which
    // kills the process. `void p` is no escape: it hides the rejection, it does not handle it.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // express-session's Store declares void methods; ours also return their promise (as
    // connect-redis does), and call the callback when one is given.
    files: ['**/session/redis-session.store.ts'],
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { inheritedMethods: false } }] },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } },
  },
  {
    files: ['**/bench/**', '**/test/**', '**/*.spec.ts', 'packages/dev-services/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
