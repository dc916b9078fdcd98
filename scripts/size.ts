/**
 * `npm run size`: the weapp package sizes as WeChat counts them, from dist/weapp (a production
 * build). Main package = files outside every subpackage root; source maps excluded.
 */
import fs from 'node:fs'
import path from 'node:path'

export const MAIN_LIMIT = 2 * 1024 * 1024

export interface SizeReport {
  main: number
  total: number
  subpackages: Record<string, number>
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? files(p) : [p]
  })
}

export function measure(dist: string): SizeReport {
  const appJson = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8')) as {
    subPackages?: Array<{ root: string }>
    subpackages?: Array<{ root: string }>
  }
  const roots = (appJson.subPackages ?? appJson.subpackages ?? []).map((s) => s.root.replace(/\/?$/, '/'))
  const report: SizeReport = { main: 0, total: 0, subpackages: Object.fromEntries(roots.map((r) => [r, 0])) }
  for (const file of files(dist)) {
    if (file.endsWith('.map')) continue
    const rel = path.relative(dist, file).split(path.sep).join('/')
    const size = fs.statSync(file).size
    report.total += size
    const root = roots.find((r) => rel.startsWith(r))
    if (root) report.subpackages[root]! += size
    else report.main += size
  }
  return report
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

if (path.resolve(process.argv[1] ?? '') === __filename) {
  const dist = path.resolve(__dirname, '..', 'dist', 'weapp')
  if (!fs.existsSync(path.join(dist, 'app.json'))) {
    console.error('dist/weapp is missing: run `npm run build:weapp` first')
    process.exit(1)
  }
  const r = measure(dist)
  console.log(`main package  ${kb(r.main)}  (${((r.main / MAIN_LIMIT) * 100).toFixed(1)}% of WeChat's 2 MB)`)
  for (const [root, size] of Object.entries(r.subpackages)) console.log(`subpackage ${root}  ${kb(size)}`)
  console.log(`total         ${kb(r.total)}`)
}
