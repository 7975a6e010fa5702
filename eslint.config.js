// Type-aware lint for the whole workspace. The dependency rule of docs/adr/0001 is enforced here:
// protocol imports nothing from the repo; server and app-kit never import each other; the client
// only uses protocol's browser-safe entry.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const restrict = (patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: patterns.map((group) => ({
        group: [group],
        message: 'Breaks the dependency rule (docs/adr/0001).',
      })),
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'test/e2e/artifacts/**',
      '.upcall/**',
      'bench/.build/**',
      'apps/demo/public/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'packages/*/bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test/describe/it return promises that the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  { files: ['packages/protocol/**'], rules: restrict(['@upcall/*']) },
  { files: ['packages/sqlite-group-commit/**'], rules: restrict(['@upcall/*']) },
  {
    files: ['packages/server/**'],
    rules: restrict([
      '@upcall/app-kit',
      '@upcall/app-kit/*',
      '@upcall/client',
      '@upcall/client/*',
      '@upcall/cli',
    ]),
  },
  {
    files: ['packages/app-kit/**'],
    rules: restrict([
      '@upcall/server',
      '@upcall/server/*',
      '@upcall/client',
      '@upcall/client/*',
      '@upcall/cli',
    ]),
  },
  {
    files: ['packages/client/src/**'],
    ignores: ['packages/client/src/**/*.test.ts', 'packages/client/src/test-support/**'],
    rules: {
      // The browser client may only use protocol's browser-safe entry, and no Node built-ins (ADR 0001).
      'no-restricted-imports': [
        'error',
        {
          paths: ['@upcall/protocol', '@upcall/server', '@upcall/app-kit', '@upcall/cli'].map((name) => ({
            name,
            message: 'Breaks the dependency rule (docs/adr/0001).',
          })),
          patterns: [
            {
              group: [
                '@upcall/server/*',
                '@upcall/app-kit/*',
                '@upcall/cli/*',
                '@upcall/protocol/*',
                '!@upcall/protocol/browser',
                'node:*',
              ],
              message: 'Breaks the dependency rule (docs/adr/0001).',
            },
          ],
        },
      ],
    },
  },
  { files: ['eslint.config.js'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
);
