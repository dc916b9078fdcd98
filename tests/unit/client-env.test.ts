/**
 * Every `process.env.TARO_APP_*` the mini-program reads is named in `.env`. Taro replaces only the
 * variables it knows at build time; one it does not know stays `process.env.X` in the H5 bundle, and
 * there `process` is not defined: the page that reads it throws and stays blank (我的优惠券 did).
 */
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..', '..')

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return sources(p)
    return /\.(ts|tsx)$/.test(e.name) ? [p] : []
  })
}

test('every TARO_APP_ variable read in src/ is named in .env, so both builds replace it', () => {
  const named = new Set(
    fs
      .readFileSync(path.join(ROOT, '.env'), 'utf8')
      .split('\n')
      .map((line) => /^(TARO_APP_\w+)=/.exec(line.trim())?.[1])
      .filter((v): v is string => !!v),
  )
  const read = new Map<string, string>()
  for (const file of sources(path.join(ROOT, 'src')))
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/process\.env\.(TARO_APP_\w+)/g)) read.set(m[1]!, path.relative(ROOT, file))
  expect(read.size).toBeGreaterThan(0)
  const missing = [...read].filter(([v]) => !named.has(v)).map(([v, file]) => `${v} (${file})`)
  expect(missing).toEqual([])
})
