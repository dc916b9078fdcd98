/**
 * A first build that `npm start` runs in the background while the API already serves (the H5
 * storefront, the merchant console): one line when it starts, one when it ends with the time it
 * took, and the builder's own output kept and shown only when it fails.
 */
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

/** Where a served app stands: served, being built, the build failed, or not built and not to be. */
export type BuildState = 'ready' | 'building' | 'failed' | 'missing'

export interface BackgroundBuild {
  state(): BuildState
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

export const hasIndex = (dir: string) => fs.existsSync(path.join(dir, 'index.html'))

/** Nothing to build: `state` says whether `dir` holds an app (built earlier, or by hand later). */
export function noBuild(dir: string): BackgroundBuild {
  let seen = false
  const state = (): BuildState => {
    if (!seen) seen = hasIndex(dir)
    return seen ? 'ready' : 'missing'
  }
  return { state, done: Promise.resolve(), stop: () => undefined }
}

/**
 * Follows `child`, the builder of the app `what` (e.g. "storefront page") into `dir`: ready when it
 * exits 0 leaving an index.html there, failed otherwise (its output's last lines logged). A host
 * that exits (its PostgreSQL gave up, an error) takes its build along.
 */
export function followBuild(opts: {
  what: string
  dir: string
  child: ChildProcess
  log: (m: string) => void
  startLine: string
}): BackgroundBuild {
  const { what, dir, child, log } = opts
  const started = Date.now()
  const seconds = () => Math.round((Date.now() - started) / 1000)
  let state: BuildState = 'building'
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-KEEP_CHARS)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  log(opts.startLine)

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
      if (!failure && hasIndex(dir)) {
        state = 'ready'
        log(`${what} built in ${seconds()} s`)
        return resolve()
      }
      state = 'failed'
      const lines = readableOutput(output).split('\n').slice(-SHOW_LINES).join('\n')
      log(
        `the ${what} could not be built (${failure ?? `no index.html in ${dir}`}) after ${seconds()} s; the API still serves. The build said:\n${lines}`,
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
