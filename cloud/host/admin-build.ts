/**
 * The merchant console's first build, run by `npm start` in the background when `dist/admin` has
 * none (as h5-build.ts does for the storefront): esbuild takes a few seconds, the API serves
 * meanwhile, one line when it starts and one when it ends; its output is shown only if it fails.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { readableOutput } from './h5-build'

export type AdminState = 'ready' | 'building' | 'failed' | 'missing'

export interface AdminBuild {
  state(): AdminState
  /** Settles when the build has ended (at once when there was nothing to build). */
  done: Promise<void>
  stop(): void
}

const hasIndex = (dir: string) => fs.existsSync(path.join(dir, 'index.html'))

/** Starts `npm run build:admin` (scripts/build-admin.ts into `adminDir`) unless a build is there or `BUILD_ADMIN=0`. */
export function startAdminBuild(opts: { root: string; adminDir: string; env: NodeJS.ProcessEnv; log: (m: string) => void }): AdminBuild {
  const { root, adminDir, env, log } = opts
  if (hasIndex(adminDir)) return { state: () => 'ready', done: Promise.resolve(), stop: () => undefined }
  if (env.BUILD_ADMIN === '0')
    return { state: () => (hasIndex(adminDir) ? 'ready' : 'missing'), done: Promise.resolve(), stop: () => undefined }

  const started = Date.now()
  let state: AdminState = 'building'
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-32 * 1024)
  }
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'scripts', 'build-admin.ts')],
    {
      cwd: root,
      env: { ...env, NODE_ENV: 'production', ADMIN_DIR: adminDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  log('building the merchant console (first start only)…')
  const killOnExit = () => child.kill('SIGTERM')
  process.once('exit', killOnExit)
  let stopped = false

  const done = new Promise<void>((resolve) => {
    let finished = false
    const finish = (failure: string | null) => {
      if (finished) return
      finished = true
      process.removeListener('exit', killOnExit)
      if (stopped) return resolve()
      const secs = Math.round((Date.now() - started) / 1000)
      if (!failure && hasIndex(adminDir)) {
        state = 'ready'
        log(`merchant console built in ${secs} s`)
      } else {
        state = 'failed'
        log(
          `the merchant console could not be built (${failure ?? `no index.html in ${adminDir}`}); the API still serves. The build said:\n${readableOutput(output)}`,
        )
      }
      resolve()
    }
    child.once('error', (err) => finish(err.message))
    child.once('close', (code, signal) => finish(code === 0 ? null : signal ? `killed by ${signal}` : `exit status ${code}`))
  })

  return {
    state: () => state,
    done,
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      stopped = true
      child.kill('SIGTERM')
    },
  }
}
