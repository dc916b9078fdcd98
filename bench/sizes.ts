/**
 * Package sizes: the storefront's weapp build (main package and each subpackage) against WeChat's
 * 2 MB per package, and against bench/hello, the smallest Taro app, built in the same run with the
 * same Taro version and settings: the framework's own floor.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { MAIN_LIMIT, measure } from '../scripts/size'
import { bin, kb, run } from './lib'

export function benchSizes(dist: string): { columns: string[]; rows: string[][]; notes: string } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-hello-'))
  run('building the hello-world Taro app', bin('taro'), ['build', '--type', 'weapp'], {
    cwd: path.join(__dirname, 'hello'),
    env: { NODE_ENV: 'production', HELLO_OUT: out },
  })
  const hello = measure(out)
  fs.rmSync(out, { recursive: true, force: true })
  const ours = measure(dist)
  const pct = (n: number) => `${((n / MAIN_LIMIT) * 100).toFixed(1)} %`
  const rows = [
    [
      'main package',
      kb(ours.main),
      pct(ours.main),
      kb(hello.main),
      `+${kb(ours.main - hello.main)} (${(ours.main / hello.main).toFixed(2)}×)`,
    ],
    ...Object.entries(ours.subpackages).map(([root, size]) => [`subpackage ${root}`, kb(size), pct(size), '–', '–']),
    ['whole app', kb(ours.total), '–', kb(hello.total), `+${kb(ours.total - hello.total)}`],
  ]
  return {
    columns: ['package', 'storefront', 'of 2 MB', 'hello-world Taro', 'storefront − hello'],
    rows,
    notes: `The hello-world is bench/hello: one page with one Text, Taro ${require('@tarojs/taro/package.json').version} + React, built with NODE_ENV=production like the storefront. The difference is what the storefront itself adds to each download.`,
  }
}
