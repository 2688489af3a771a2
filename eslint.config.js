// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from './eslint-rules/index.js';

/** @type {Record<string, 'readonly'>} */
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

export default tseslint.config(
  // .scratch/ is a local, untracked scratch directory; tests/lint/fixtures holds the rule tests' placeholder.
  { ignores: ['dist/', 'docs/', 'coverage/', 'node_modules/', '.tmp/', '.scratch/'] },
  js.configs.recommended,
  // Type-checked rules (no-floating-promises, no-misused-promises, await-thenable, no-unsafe-*, ...).
  // strictTypeChecked was measured too: ~900 more hits, most of them restrict-template-expressions on numbers
  // and no-non-null-assertion in tests, which this code base uses on purpose.
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { local },
    rules: {
      'local/must-use-result': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // vitest's asymmetric matchers (expect.stringContaining, expect.objectContaining, ...) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Tests read methods without calling them (expect(runner.runBatch).toBeUndefined()) and destructure
      // harness helpers; nothing in this code base binds `this` (factories return object literals).
      '@typescript-eslint/unbound-method': 'off',
      // `async function*` without await is the shortest AsyncIterable source for stdin and stream tests, and
      // async callbacks keep the shape of the API they stand in for.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Plain JavaScript (this config, the local rules, scripts, test fixtures) and the local rules' declaration
    // file are in no TypeScript project. The scripts run on Node: its globals are the ones this Node defines.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', 'eslint-rules/*.d.ts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: nodeGlobals },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'local/must-use-result': 'off' },
  },
);
