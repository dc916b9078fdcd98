// One ESLint config: the recommended sets, hooks rules, and the import boundaries of the layout.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const restrict = (patterns, extra = {}) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns, ...extra }],
})

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.swc/**', '.data/**', 'cloud/deploy/out/**', 'coverage/**', 'bench/.work/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The mini-program shares only types with the backend: nothing of cloud/ is bundled.
      ...restrict([{ group: ['**/cloud/**'], allowTypeImports: true, message: 'src/ imports cloud/contract types only (import type).' }]),
    },
  },
  {
    files: ['cloud/contract/**/*.ts'],
    rules: restrict([{ group: ['**/core/**', '**/db/**', '**/functions/**', '**/host/**', 'pg', 'wx-server-sdk', '@tarojs/*'], message: 'the contract depends on zod only' }]),
  },
  {
    files: ['cloud/core/**/*.ts'],
    rules: restrict([{ group: ['**/db/**', '**/functions/**', '**/host/**', 'pg', 'wx-server-sdk', 'fastify', '@tarojs/*'], message: 'core is pure: it imports only cloud/contract' }]),
  },
  {
    files: ['cloud/functions/**/*.ts'],
    rules: restrict([{ group: ['pg', '**/host/**', 'fastify'], message: 'only cloud/db imports pg; handlers know nothing of HTTP' }]),
  },
  {
    files: ['cloud/host/**/*.ts'],
    rules: restrict([{ group: ['pg'], message: 'only cloud/db imports pg' }]),
  },
  {
    files: ['tests/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
