/** Architecture rules checked by `npm run lint`. */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'app-uses-cache-barrel',
      comment: 'The sample app consumes the library only through src/cache/index.ts.',
      severity: 'error',
      from: { path: '^src/(?!cache/)' },
      to: { path: '^src/cache/', pathNot: '^src/cache/index\\.ts$' },
    },
    {
      name: 'cache-is-standalone',
      comment: 'The library never depends on the sample app.',
      severity: 'error',
      from: { path: '^src/cache/' },
      to: { path: '^src/(?!cache/)' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '(^test/|\\.spec\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
