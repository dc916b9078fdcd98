import path from 'node:path'
import { runner } from 'node-pg-migrate'

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations')

/**
 * Applies every pending migration (node-pg-migrate, SQL files in ./migrations). Safe to call from
 * several processes at once: the tool serialises runs with an advisory lock.
 */
export async function migrate(databaseUrl: string, log: (msg: string) => void = () => undefined): Promise<void> {
  await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    migrationsTable: 'pgmigrations',
    direction: 'up',
    count: Infinity,
    checkOrder: true,
    advisoryLockMode: 'wait',
    log,
    verbose: false,
  })
}
