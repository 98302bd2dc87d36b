// Lint for TypeScript (main, preload, tests) and Svelte 5 (renderer), type-aware where it catches
// real bugs (floating promises), plus a guard that keeps `electron` imports inside the shell.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'bench/results*', 'reports/**', '.stryker-tmp/**', '.stryker-tmp-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // Only the Electron shell may touch Electron: everything else must run in plain Node.
    // Tests of the shell (test/shell/) import it only under vi.mock; a test there checks that.
    files: ['main/core/**', 'main/linux/**', 'main/shared/**', 'renderer/**', 'test/**'],
    ignores: ['test/shell/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Electron lives in main/electron/ only.' }] }],
    },
  },
  {
    // Plain JavaScript tooling outside the TypeScript project: linted without type information.
    files: ['eslint.config.js', 'stryker.config.mjs', 'build/**/*.mjs', 'build/**/*.js', 'build/**/*.cjs', 'bench/**/*.mjs', 'test/electron-standin/*.mjs', 'test/electron-standin/*.cjs', 'test/mutation/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The Electron stand-in is CommonJS, loaded by the built bundle in place of Electron.
    files: ['test/electron-standin/*.cjs', 'build/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'svelte/no-inner-declarations': 'off' },
  },
);
