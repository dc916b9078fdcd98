/** The mini-program audit of `npm run bench`: the pages project's environment, on bench/audit. */
const path = require('node:path')
const base = require('../jest.config.js').projects.find((p) => p.displayName === 'pages')

const rootDir = path.resolve(__dirname, '..')
module.exports = {
  rootDir,
  projects: [{ ...base, rootDir, displayName: 'audit', testMatch: ['<rootDir>/bench/audit/**/*.audit.ts'] }],
}
