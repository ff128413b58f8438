// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Import zones from DESIGN.md: renderer never reaches main or Node, main never reaches the renderer,
 * the contract stays free of any environment. */
const nodeOnly = ['node:*', 'electron', 'better-sqlite3', 'chokidar'];

export default tseslint.config(
  { ignores: ['out/**', 'reports/**', 'test-results/**', 'node_modules/**', '.bench/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', '../main/*', '../../main/*'],
              message: 'The renderer talks to main only through renderer/api.',
            },
            { group: nodeOnly, message: 'The renderer runs in a sandboxed web page.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/api/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'api', message: 'Only renderer/api/ may touch window.api.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='window'][property.name='api']",
          message: 'Only renderer/api/ may touch window.api.',
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/ipc/**', 'main/window/**', 'main/launch.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only main/index.ts, main/ipc/ and main/window/ may import electron.',
            },
          ],
          patterns: [{ group: ['**/renderer/**'], message: 'main never imports the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['preload/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeOnly, 'react', 'react-dom'],
              message: 'The contract is pure: no electron, DOM or node.',
            },
            { group: ['**/main/**', '**/renderer/**'], message: 'The contract depends on nothing of ours.' },
          ],
        },
      ],
    },
  },
);
