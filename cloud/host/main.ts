/**
 * `npm start`: the whole local stack in one process. Embedded PostgreSQL (or DATABASE_URL),
 * migrations, demo data on an empty database, the API and the H5 build on 127.0.0.1:PORT.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { keywordChecker } from '../adapters/content/keywords'
import { sandboxNotifier } from '../adapters/notify/sandbox'
import { qrPosters } from '../adapters/poster/sandbox'
import { sandboxRisk } from '../adapters/risk/sandbox'
import { SANDBOX_SECRET_KEY, sandboxPayment } from '../adapters/payment/sandbox'
import { createDatabase } from '../db/database'
import { migrate } from '../db/migrate'
import { configFromEnv } from '../functions/config'
import { startJobs } from './jobs'
import { startEmbeddedPostgres, type RunningPostgres } from './postgres'
import { seedIfEmpty } from './seed'
import { buildServer } from './server'

const ROOT = path.resolve(__dirname, '..', '..')
const log = (m: string) => console.log(`[weshop] ${m}`)

function ensureH5Build(h5Dir: string) {
  if (fs.existsSync(path.join(h5Dir, 'index.html')) || process.env.BUILD_H5 === '0') return
  log('building the H5 storefront (first start only, about 20 s)…')
  const r = spawnSync('npx', ['taro', 'build', '--type', 'h5'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  })
  if (r.status !== 0) log('H5 build failed; the API still starts')
}

async function main() {
  const port = Number(process.env.PORT ?? 8080)
  const dataDir = path.resolve(ROOT, process.env.DATA_DIR ?? '.data')
  const h5Dir = path.join(ROOT, 'dist', 'h5')
  ensureH5Build(h5Dir)

  let embedded: RunningPostgres | undefined
  let url = process.env.DATABASE_URL
  if (!url) {
    embedded = await startEmbeddedPostgres(dataDir, log)
    url = embedded.url
    log(`embedded PostgreSQL on ${url.replace(/:[^:@/]+@/, ':***@')} (data in ${dataDir})`)
  }

  let ready = false
  const db = createDatabase(url, { max: Number(process.env.DB_POOL_MAX) || 10 })
  await migrate(url, (m) => (process.env.VERBOSE ? log(m) : undefined))
  // The sandbox payment provider signs with a secret made once per install, kept in the database.
  const secret = await db.transaction((repos) => repos.settings.getOrCreate(SANDBOX_SECRET_KEY, () => randomBytes(32).toString('hex')))
  const sandbox = sandboxPayment({ secret, baseUrl: `http://127.0.0.1:${port}` })
  // The sandbox stand-ins for WeChat's services keep their own connections: called from inside a
  // call's transaction, they must never wait for the pool that transaction is holding.
  const sandboxDb = createDatabase(url, { max: 2 })
  const deps = {
    db,
    config: configFromEnv(process.env, { cloud: false }),
    payments: sandbox,
    notifier: sandboxNotifier(sandboxDb),
    contentCheck: keywordChecker(),
    risk: sandboxRisk(sandboxDb),
    posters: qrPosters(`http://127.0.0.1:${port}`),
  }
  const app = await buildServer({ deps, sandbox, h5Dir, isReady: () => ready })

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log(`${signal}: stopping`)
    await app.close().catch(() => undefined)
    await db.close().catch(() => undefined)
    await sandboxDb.close().catch(() => undefined)
    await embedded?.stop().catch(() => undefined)
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))

  if (process.env.SEED !== '0' && (await seedIfEmpty(db))) log('demo data seeded')
  ready = true
  await app.listen({ port, host: '127.0.0.1' })
  startJobs(deps, Number(process.env.JOB_INTERVAL_MS) || 30_000, log)
  log(`storefront ready: http://127.0.0.1:${port}`)
}

main().catch((err) => {
  console.error('[weshop] failed to start:', err)
  process.exit(1)
})
