/** One jest run, four projects: the rules, the API on real PostgreSQL, built weapp pages, the H5 build in chromium. */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2020' }, module: { type: 'commonjs' } }]
const base = {
  transform: { '^.+\\.tsx?$': swc },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  // dist/ holds the built mini-program, loaded as it is, never transformed.
  transformIgnorePatterns: ['/node_modules/', '/dist/'],
}
const withDb = { globalSetup: '<rootDir>/tests/helpers/global-setup.ts', globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts' }

module.exports = {
  // One test file at a time, whatever the machine says it has: every file of the last three projects
  // runs its own host process (and chromium) beside the shared PostgreSQL, so two files at once on
  // 2 cores starve each other. Jest's default (cores - 1) reads the host's cores inside a CPU-limited
  // container and would start many at once there.
  maxWorkers: 1,
  // The limit of a test or hook that names none. Jest's 5 s is made for pure functions; ours make HTTP
  // calls to a host child process, start and stop stacks and browsers, on 2 cores shared with
  // PostgreSQL, the hosts and chromium: an afterAll that stops a stack (up to 3 s before its SIGKILL) and
  // closes chromium can overrun 5 s there. A limit only ends a test that hangs; no assertion changes.
  // (Jest 30 reads it from the top level only: a project's own testTimeout is ignored.)
  testTimeout: 30_000,
  projects: [
    { ...base, displayName: 'unit', testEnvironment: 'node', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...base, ...withDb, displayName: 'integration', testEnvironment: 'node', testMatch: ['<rootDir>/tests/integration/**/*.test.ts'] },
    { ...base, ...withDb, displayName: 'pages', testEnvironment: '<rootDir>/tests/helpers/jsdom-env.js', testMatch: ['<rootDir>/tests/pages/**/*.test.ts'] },
    { ...base, ...withDb, displayName: 'e2e', testEnvironment: 'node', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'] },
  ],
}
