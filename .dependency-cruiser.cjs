/** Architecture rules checked by `npm run lint`. */
const LIB = '^packages/nestjs-layered-cache/src/';
const ENGINE = `${LIB}(core|l1|l2|bus|serialization|redis|errors|events)/`;
const INTEGRATIONS = `${LIB}(typeorm|cdc|warming|write-behind|session|admin|metrics|health|cache-manager|testing)/`;

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'app-uses-packages-by-name',
      comment: 'The sample app imports the library (and dev-services) by package name, as any user app does.',
      severity: 'error',
      from: { path: '^(src|test|migrations)/' },
      to: { path: '^packages/', dependencyTypes: ['local'] },
    },
    {
      name: 'library-is-standalone',
      comment: 'The library never depends on the sample app.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(src|test|migrations)/' },
    },
    {
      name: 'engine-imports-no-front-door-or-integration',
      comment: 'The engine (core, tiers, bus, serialization, redis) knows nothing of the ways into it.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: LIB, pathNot: ENGINE },
    },
    {
      name: 'core-imports-no-integration',
      comment: 'The core entry point (module, service, views, HTTP, decorators) loads no opt-in integration.',
      severity: 'error',
      from: { path: LIB, pathNot: INTEGRATIONS },
      to: { path: INTEGRATIONS },
    },
    {
      name: 'integrations-stand-alone',
      comment: 'An integration depends on the core, never on another integration.',
      severity: 'error',
      from: { path: `${LIB}([^/]+)/` },
      to: { path: INTEGRATIONS, pathNot: `${LIB}$1/` },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '(^|/)src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '(/test/|^test/|\\.spec\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['nlc-source', 'import', 'node', 'default'] },
  },
};
