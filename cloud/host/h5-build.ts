/**
 * The H5 storefront's first build, run by `npm start` in the background while the API already
 * serves: one line when it starts, one when it ends (with the time it took), and its own output
 * (webpack's progress bar, stats and warnings) kept and shown only when it fails.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

/** Where the storefront page stands: served, being built, the build failed, or not built and not to be. */
export type H5State = 'ready' | 'building' | 'failed' | 'missing'

export interface H5Build {
  state(): H5State
  /** Settles when the build has ended (at once when there was nothing to build). */
  done: Promise<void>
  /** Stops a build still running (the host is stopping). */
  stop(): void
}

/** The last this many characters of the build's output are kept for a failure report. */
const KEEP_CHARS = 64 * 1024
/** How many lines of that output a failure prints. */
const SHOW_LINES = 60

/** The build's output as a terminal would end up showing it: colours dropped, progress redraws collapsed. */
export function readableOutput(raw: string): string {
  return (
    raw
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .split('\n')
      // A line redrawn with carriage returns shows its last state.
      .map((line) => line.split('\r').filter(Boolean).pop() ?? '')
      .filter((line) => line.trim() !== '')
      .join('\n')
  )
}

const hasIndex = (h5Dir: string) => fs.existsSync(path.join(h5Dir, 'index.html'))

/** The state of a build this host does not make: served once `h5Dir` holds one (npm run build:h5 by hand). */
export function existingBuild(h5Dir: string): () => H5State {
  let seen = false
  return () => {
    if (!seen) seen = hasIndex(h5Dir)
    return seen ? 'ready' : 'missing'
  }
}

/**
 * Starts the build unless `h5Dir` already holds one or `BUILD_H5=0`. The builder is
 * `taro build --type h5` (production, into dist/h5), or the shell command in `H5_BUILD_COMMAND`,
 * run with `H5_DIR` in its environment.
 */
export function startH5Build(opts: { root: string; h5Dir: string; env: NodeJS.ProcessEnv; log: (m: string) => void }): H5Build {
  const { root, h5Dir, env, log } = opts
  if (hasIndex(h5Dir)) return { state: () => 'ready', done: Promise.resolve(), stop: () => undefined }
  const notBuilding = { state: existingBuild(h5Dir), done: Promise.resolve(), stop: () => undefined }
  if (env.BUILD_H5 === '0') return notBuilding
  if (!env.H5_BUILD_COMMAND && path.resolve(h5Dir) !== path.join(root, 'dist', 'h5')) {
    // taro builds into dist/h5 (config/index.ts): another H5_DIR is a build made elsewhere.
    log(`no H5 build in ${h5Dir}; not building one there (taro builds into dist/h5)`)
    return notBuilding
  }

  const started = Date.now()
  const seconds = () => Math.round((Date.now() - started) / 1000)
  let state: H5State = 'building'
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-KEEP_CHARS)
  }
  const childEnv = { ...env, NODE_ENV: 'production', H5_DIR: h5Dir }
  const child: ChildProcess = env.H5_BUILD_COMMAND
    ? spawn('/bin/sh', ['-c', env.H5_BUILD_COMMAND], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [path.join(root, 'node_modules', '@tarojs', 'cli', 'bin', 'taro'), 'build', '--type', 'h5'], {
        cwd: root,
        env: childEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  log('building the storefront page (first start only); the API is served meanwhile…')

  // A host that exits (its PostgreSQL gave up, an error) takes its build along.
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
      if (!failure && hasIndex(h5Dir)) {
        state = 'ready'
        log(`storefront page built in ${seconds()} s`)
        return resolve()
      }
      state = 'failed'
      const lines = readableOutput(output).split('\n').slice(-SHOW_LINES).join('\n')
      log(
        `the storefront page could not be built (${failure ?? `no index.html in ${h5Dir}`}) after ${seconds()} s; the API still serves. The build said:\n${lines}`,
      )
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
