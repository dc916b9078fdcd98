/**
 * `npm test`: everything, in order, on a fresh clone. Types, lint, formatting, production builds of both
 * targets with WeChat DevTools' code-quality checks on the weapp build (scripts/wechat-scan.ts) and of the
 * merchant console (scripts/build-admin.ts), then
 * jest: unit tests, integration tests on a real PostgreSQL the run starts itself, the built weapp
 * pages in miniprogram-simulate, and the built H5 in Debian's chromium.
 * Ends with one line `tests: N passed, N failed`.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..')
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name)

function step(title: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const started = Date.now()
  console.log(`\n▶ ${title}`)
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } })
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  if (r.status !== 0) {
    console.error(`✖ ${title} failed after ${secs} s`)
    console.log('tests: 0 passed, 1 failed')
    process.exit(1)
  }
  console.log(`✔ ${title} (${secs} s)`)
}

step('types', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])
step('lint', bin('eslint'), ['.', '--max-warnings', '0'])
// The globs of `npm run format`, read from package.json so the check and the fix never drift apart.
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
const formatGlobs = [...pkg.scripts.format.matchAll(/"([^"]+)"/g)].map((m) => m[1])
step('formatting', bin('prettier'), ['--check', ...formatGlobs])
step('build weapp', bin('taro'), ['build', '--type', 'weapp'], { NODE_ENV: 'production' })
step("WeChat's code scan of the weapp build", bin('tsx'), [path.join(ROOT, 'scripts', 'wechat-scan.ts')])
step('build h5', bin('taro'), ['build', '--type', 'h5'], { NODE_ENV: 'production' })
step('build the merchant console', bin('tsx'), [path.join(ROOT, 'scripts', 'build-admin.ts')], { NODE_ENV: 'production' })

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-jest-')), 'report.json')
const extra = process.argv.slice(2)
console.log('\n▶ jest: unit, integration, pages, e2e')
// --forceExit: once the results are written, jest ends even if a failed test left something open. A
// live test that timed out left its proxy server listening with keep-alive connections to itself, and
// jest then printed its summary and waited forever: CI would hang to its own limit instead of failing.
const jest = spawnSync(bin('jest'), ['--json', `--outputFile=${report}`, '--forceExit', ...extra], {
  cwd: ROOT,
  stdio: 'inherit',
  env: process.env,
})
let passed = 0
let failed = 1
if (fs.existsSync(report)) {
  const r = JSON.parse(fs.readFileSync(report, 'utf8')) as {
    numPassedTests: number
    numFailedTests: number
    numRuntimeErrorTestSuites: number
  }
  passed = r.numPassedTests
  failed = r.numFailedTests + r.numRuntimeErrorTestSuites
}
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exit(jest.status === 0 && failed === 0 && passed > 0 ? 0 : 1)
