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
  projects: [
    { ...base, displayName: 'unit', testEnvironment: 'node', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...base, ...withDb, displayName: 'integration', testEnvironment: 'node', testMatch: ['<rootDir>/tests/integration/**/*.test.ts'] },
    { ...base, ...withDb, displayName: 'pages', testEnvironment: '<rootDir>/tests/helpers/jsdom-env.js', testMatch: ['<rootDir>/tests/pages/**/*.test.ts'] },
    { ...base, ...withDb, displayName: 'e2e', testEnvironment: 'node', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'] },
  ],
}
