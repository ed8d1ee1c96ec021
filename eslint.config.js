// One linter for the monorepo: type-aware rules from typescript-eslint, plus the
// architecture rules — packages import each other only through public entries,
// and core, gc and weakref stay free of Node built-ins (they run in the browser lab).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['**/dist/**', '**/node_modules/**', 'docs/**', '**/artifacts/**', 'test-results.json'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  {
    files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts', 'tooling/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@refheap/*/*', '!@refheap/monitor/node'], message: 'Import a package only through its public entries.' }] },
      ],
    },
  },
  {
    files: ['packages/core/src/**/*.ts', 'packages/gc/src/**/*.ts', 'packages/weakref/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@refheap/*/*', '!@refheap/monitor/node'], message: 'Import a package only through its public entries.' },
            { group: ['node:*'], message: 'core, gc and weakref run in the browser lab too.' },
          ],
        },
      ],
    },
  },
  {
    // The interpreter raises Python exceptions as PyThrow: deliberately not an Error, since
    // capturing a JS stack on every raise would make exceptions used for control flow slow.
    files: ['packages/python/src/**/*.ts'],
    rules: {
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'file', name: ['PyThrow', 'BudgetExceeded'] }], allowThrowingUnknown: true },
      ],
    },
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
);
