import nx from '@nx/eslint-plugin';

// Architecture rules (STYLE.md "Layout and boundaries"), enforced by `npm run lint` in CI.
// type: what a library is allowed to depend on; scope: which bounded context it belongs to.
const typeRules = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['*'] },
  // The composition root shared by the apps (libs/platform/core): wires every layer, but is
  // itself no app, so nothing else can import it (its scope:app keeps libraries away from it).
  {
    sourceTag: 'type:app-shell',
    onlyDependOnLibsWithTags: ['type:app-shell', 'type:api', 'type:application', 'type:domain', 'type:core', 'type:port', 'type:adapter', 'type:util'],
  },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
  { sourceTag: 'type:port', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:port', 'type:util'] },
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core', 'type:port', 'type:util'] },
  {
    sourceTag: 'type:application',
    onlyDependOnLibsWithTags: ['type:application', 'type:domain', 'type:core', 'type:port', 'type:util'],
  },
  {
    sourceTag: 'type:api',
    onlyDependOnLibsWithTags: ['type:api', 'type:application', 'type:domain', 'type:core', 'type:util'],
  },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ['type:testing', 'type:core', 'type:port', 'type:adapter', 'type:util', 'type:domain'],
  },
];
const scopeRules = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['*'] },
  ...['union', 'youth-league', 'community', 'mobilization'].map((scope) => ({
    sourceTag: `scope:${scope}`,
    onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
  })),
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'data/**', 'tmp/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [...typeRules, ...scopeRules],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Tests may also use the testing lib and real adapters (integration specs run against them).
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/test-support/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            ...typeRules.map((r) => ({
              ...r,
              onlyDependOnLibsWithTags: r.onlyDependOnLibsWithTags.includes('*')
                ? ['*']
                : [...r.onlyDependOnLibsWithTags, 'type:testing', 'type:adapter', 'type:port', 'type:core'],
            })),
            ...scopeRules,
          ],
        },
      ],
    },
  },
  {
    // Raw SQL in request-path code must be parameterized (RELIABILITY.md §3). Store adapters
    // build identifiers (schema/table names from configuration) and are reviewed on their own.
    files: ['apps/**/*.ts', 'libs/*/application/**/*.ts', 'libs/*/graphql/**/*.ts', 'libs/*/*/application/**/*.ts', 'libs/*/*/graphql/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query'] > TemplateLiteral[expressions.length>0]", message: 'Use parameters, not template strings, in query().' },
      ],
    },
  },
  {
    // Domain libraries are pure: no clock, no framework, no I/O (DESIGN.md "Write side").
    files: ['libs/*/domain/**/*.ts', 'libs/*/*/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', 'pg', 'better-sqlite3', 'kafkajs', 'node:fs', 'fs'] }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query'] > TemplateLiteral[expressions.length>0]", message: 'Use parameters, not template strings, in query().' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'No clock in a domain lib: use metadata.now.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No clock in a domain lib: use metadata.now.' },
      ],
    },
  },
];
