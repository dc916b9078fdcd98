import fs from 'node:fs'

/**
 * Stops the run's PostgreSQL. Each project that uses it (integration, pages, e2e) names this teardown,
 * so it runs once per project: the first stops the server, the later ones find nothing left to stop.
 */
export default async function globalTeardown() {
  const g = globalThis as Record<string, unknown>
  const pg = g.__weshopPg as { stop: () => Promise<void>; dir: string } | undefined
  if (!pg) return
  delete g.__weshopPg
  await pg.stop()
  fs.rmSync(pg.dir, { recursive: true, force: true })
}
