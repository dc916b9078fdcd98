// One ESLint config: the recommended sets, hooks rules, and the import boundaries of the layout.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const restrict = (patterns, extra = {}) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns, ...extra }],
})

// Import boundaries. A `regex` is matched against the import's text as written (relative paths, so
// `(^|/)core/` names the folder at any depth); `allowTypeImports` lets `import type` through.
/** Paths under `core/` that name a port file: `core/ports.ts` or `core/**\/<name>.ports.ts`. */
const PORTS = String.raw`(.+/)?[^/]+\.ports|ports`
/** Pure rule modules of core (constants and functions, no repos, no services): `limits.ts`, `**\/*.rules.ts`. */
const RULES = String.raw`(.+/)?[^/]+\.rules|limits`
/** Anything under `core/` except the listed paths (alternatives of one regex, relative to `core/`). */
const coreExcept = (...allowed) => String.raw`(^|/)core/(?!(${allowed.join('|')})$)`
const portTypes = (who) => ({
  regex: String.raw`(^|/)core/(${PORTS})$`,
  allowTypeImports: true,
  message: `${who} takes only types from core's port files (import type)`,
})

const CORE = [
  {
    group: ['**/db/**', '**/functions/**', '**/host/**', '**/adapters/**', '**/deploy/**', '**/src/**'],
    message: 'core is pure: it imports only cloud/contract',
  },
  // node:crypto draws lottery seeds and hashes tokens; nothing else of Node (fs, net, http, child_process, path…).
  { regex: '^node:(?!crypto$)', message: 'core may use node:crypto only' },
  {
    regex: '^(?![./]|node:)',
    message:
      'core imports no package (pg, wx-server-sdk, fastify, Taro, bare Node built-ins…): only cloud/contract, its own modules and node:crypto',
  },
]

/** db implements core's ports: their types, and core's pure rule modules; never a core service. */
const DB = [
  portTypes('db'),
  {
    regex: coreExcept(PORTS, RULES),
    message: 'db imports from core only its port types and pure rule modules (limits.ts, *.rules.ts), never a service',
  },
  {
    group: ['**/functions/**', '**/host/**', '**/adapters/**', 'wx-server-sdk', 'fastify'],
    message: 'db knows nothing of handlers, the host or the adapters',
  },
]

/** Adapters implement core's ports: core's port types and the contract only. The sandbox ones record into the database, by its type. */
const ADAPTERS = [
  portTypes('an adapter'),
  { regex: coreExcept(PORTS), message: "adapters implement core's ports: they import only core's port types and cloud/contract" },
  { group: ['**/db/**'], allowTypeImports: true, message: 'an adapter takes the database as a type (Database), never its internals' },
  {
    group: ['**/functions/**', '**/host/**', 'pg', 'wx-server-sdk', 'fastify'],
    message: 'adapters sit behind core: no handlers, host, pg or wx-server-sdk',
  },
]

/** src/ shares only types with the backend: nothing of cloud/ is bundled. */
const SRC = [
  {
    group: ['**/cloud/**', 'pg', 'wx-server-sdk'],
    allowTypeImports: true,
    message: 'src/ imports cloud/contract types only (import type).',
  },
]
/** admin/ (the merchant's console, its own app) shares only the contract's types with the backend, and nothing with the mini-program. */
const ADMIN = [
  {
    group: ['**/cloud/**'],
    allowTypeImports: true,
    message: 'admin/ imports cloud/contract types only (import type): nothing of cloud/ is bundled',
  },
  {
    regex: String.raw`(^|/)\.\./(\.\./)*src/|^@/|^@tarojs/`,
    message: 'admin/ is its own app: nothing of the mini-program (src/, @/…, Taro)',
  },
  { group: ['pg', 'wx-server-sdk', 'fastify', 'node:*'], message: 'admin/ runs in the browser' },
]
/** The call seam: the only code that talks to the backend. Pages reach it through stores. */
const SEAM = ['**/api/call', '**/api/http', '**/api/sandbox-pay']

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.swc/**', '.data/**', 'cloud/deploy/out/**', 'coverage/**', 'bench/.work/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, ...restrict(SRC) },
  },
  {
    // Pages open pages through src/lib/navigate.ts, which tells the shopper when a page's code chunk
    // failed to load (offline) and offers a retry; a bare Taro call would fail silently.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/lib/navigate.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['navigateTo', 'redirectTo', 'switchTab', 'reLaunch'].map((property) => ({
          object: 'Taro',
          property,
          message: `use ${property} from src/lib/navigate.ts: it tells the shopper when the page failed to load and offers 重试`,
        })),
      ],
    },
  },
  {
    // Presentational: props in, events out.
    files: ['src/components/**/*.{ts,tsx}'],
    rules: restrict([
      ...SRC,
      {
        group: ['**/features/**', '**/api/**', '**/api'],
        allowTypeImports: true,
        message: 'components/ import neither stores (features/) nor the call seam (api/): props in, events out',
      },
    ]),
  },
  {
    files: ['src/pages/**/*.{ts,tsx}', 'src/packages/**/*.{ts,tsx}'],
    rules: restrict([
      ...SRC,
      {
        group: SEAM,
        allowTypeImports: true,
        message: 'pages reach the backend only through stores (features/**/*-store.ts), never the call seam',
      },
    ]),
  },
  {
    files: ['admin/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: { ...reactHooks.configs.recommended.rules, ...restrict(ADMIN) },
  },
  {
    // Presentational: props in, events out; uploads and calls come in as props.
    files: ['admin/src/components/**/*.{ts,tsx}'],
    rules: restrict([
      ...ADMIN,
      {
        group: ['**/api', '**/session', '**/pages/**'],
        allowTypeImports: true,
        message: 'admin components import neither the call seam (api.ts), the session nor pages',
      },
    ]),
  },
  {
    files: ['cloud/contract/**/*.ts'],
    rules: restrict([
      {
        group: ['**/core/**', '**/db/**', '**/functions/**', '**/host/**', '**/adapters/**', 'pg', 'wx-server-sdk', '@tarojs/*'],
        message: 'the contract depends on zod only',
      },
    ]),
  },
  { files: ['cloud/core/**/*.ts'], rules: restrict(CORE) },
  { files: ['cloud/db/**/*.ts'], rules: restrict(DB) },
  { files: ['cloud/adapters/**/*.ts'], rules: restrict(ADAPTERS) },
  {
    // Handlers reach the database only through define.ts's Deps (its Database type); cloudbase.ts is
    // the CloudBase entry, which builds the database and the adapters (as cloud/host does locally).
    files: ['cloud/functions/**/*.ts'],
    ignores: ['cloud/functions/define.ts', 'cloud/functions/cloudbase.ts'],
    rules: restrict([
      { group: ['pg', '**/host/**', 'fastify'], message: 'only cloud/db imports pg; handlers know nothing of HTTP' },
      { group: ['**/db/**', '**/adapters/**'], message: 'handlers reach the database and the adapters only through define.ts (Deps)' },
    ]),
  },
  {
    files: ['cloud/functions/define.ts'],
    rules: restrict([
      { group: ['pg', '**/host/**', 'fastify'], message: 'only cloud/db imports pg; handlers know nothing of HTTP' },
      { group: ['**/db/**'], allowTypeImports: true, message: 'define.ts takes the database as a type (Database) only' },
      { group: ['**/adapters/**'], message: 'the adapters are built by the entry (host, cloudbase.ts), not by define.ts' },
    ]),
  },
  {
    files: ['cloud/functions/cloudbase.ts'],
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
