// Lint rules enforce the layering of ARCHITECTURE.md, not just style:
//  - only main/electron (and preload) may import 'electron';
//  - main/core never imports React, DOM code, the host or the shell;
//  - the renderer never imports Node builtins or core runtime code (contract types only).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronBan = {
  name: 'electron',
  message: 'Only main/electron (the shell) and preload may import electron.',
};

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', '.native/**', '.tmp/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { paths: [electronBan] }],
    },
  },
  {
    files: ['main/core/**/*.ts', 'server/**/*.ts', 'main/host/**/*.ts', 'main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            {
              group: ['react', 'react-dom', 'react/*', 'antd', 'antd/*', '@tanstack/*'],
              message: 'The core never imports React or UI code.',
            },
            {
              group: ['**/renderer/**', '**/main/electron/**', '../electron/*'],
              message: 'The core never imports the shell or the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/core/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronBan,
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The contract is shared with the renderer: no Node builtins.',
            })),
          ],
          patterns: [
            { group: ['../*', '!../contract/*'], message: 'The contract imports only zod and itself.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts', 'preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            electronBan,
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer never imports Node builtins.' })),
          ],
          patterns: [
            {
              regex: 'main/core/(?!contract(/|$))',
              message: 'The renderer never imports core runtime code; use window.app.invoke.',
            },
            {
              regex: 'main/core/contract(?!/labels$)',
              allowTypeImports: true,
              message:
                'The renderer imports only types from the contract (and the pure constants of contract/labels).',
            },
            {
              group: ['**/main/electron/**', '**/main/host/**', '**/preload/**', 'better-sqlite3', 'zod'],
              message: 'Not in the renderer.',
            },
          ],
        },
      ],
    },
  },
);
