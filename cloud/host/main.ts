/**
 * `npm start`: the whole local stack in one process. Embedded PostgreSQL (or DATABASE_URL),
 * migrations, demo data on an empty database, the API and the H5 build on 127.0.0.1:PORT. The
 * first start builds the H5 app in the background: the API answers (health included) before the
 * build ends, the page once it has.
 */
import path from 'node:path'
import { onceLink } from '../core/auth/console-login.service'
import { createDatabase } from '../db/database'
import { runAsSystem, type Deps } from '../functions/define'
import { migrate } from '../db/migrate'
import { startAdminBuild } from './admin-build'
import { startH5Build } from './h5-build'
import { startJobs } from './jobs'
import { cacheTimesOf, hostCaches, startPresenceFlush } from './live-caches'
import { superviseEmbeddedPostgres, type SupervisedPostgres } from './postgres'
import { demoImages, seedIfEmpty } from './seed'
import { cookieSecureOf } from './console-routes'
import { buildServer } from './server'
import { hostServices, settingsOrExit } from './services'
import { uploadsDir } from './uploads'

const ROOT = path.resolve(__dirname, '..', '..')
const log = (m: string) => console.log(`[weshop] ${m}`)

async function main() {
  // Settings first: a production set-up that is unsafe or incomplete stops here, naming the variables.
  const settings = settingsOrExit(process.env)
  const port = Number(process.env.PORT ?? 8080)
  const dataDir = path.resolve(ROOT, process.env.DATA_DIR ?? '.data')
  const h5Dir = path.resolve(ROOT, process.env.H5_DIR || path.join('dist', 'h5'))
  const h5 = startH5Build({ root: ROOT, h5Dir, env: process.env, log })
  const adminDir = path.resolve(ROOT, process.env.ADMIN_DIR || path.join('dist', 'admin'))
  const adminBuild = startAdminBuild({
    root: ROOT,
    adminDir,
    env: process.env,
    log,
  })

  let embedded: SupervisedPostgres | undefined
  let url = process.env.DATABASE_URL
  if (!url) {
    // Restarted when it dies; if it can't be, the host exits non-zero for a supervisor to restart.
    // (With DATABASE_URL, the pools reconnect by themselves once that database is back.)
    embedded = await superviseEmbeddedPostgres(dataDir, log, {
      onGiveUp: () => {
        log('exiting: the embedded PostgreSQL is down and could not be restarted')
        process.exit(1)
      },
    })
    url = embedded.url
    log(`embedded PostgreSQL on ${url.replace(/:[^:@/]+@/, ':***@')} (data in ${dataDir})`)
  }

  let ready = false
  const db = createDatabase(url, { max: Number(process.env.DB_POOL_MAX) || 10 })
  await migrate(url, (m) => (process.env.VERBOSE ? log(m) : undefined))
  // The external services (sandboxes locally, WeChat's in a self-hosted production): cloud/host/services.ts.
  const uploads = uploadsDir(dataDir)
  const host = await hostServices(settings, { db, databaseUrl: url, baseUrl: `http://127.0.0.1:${port}`, uploadsDir: uploads })
  // The host's caches (cloud/host/live-caches.ts): their reads on a small pool of their own.
  const cacheDb = createDatabase(url, { max: 4 })
  const times = cacheTimesOf(process.env)
  const deps: Deps = {
    db,
    config: settings.config,
    ...host.services,
    ...hostCaches(cacheDb, times, { presence: true }),
    checkOutputs: process.env.CONTRACT_CHECK_OUTPUTS === '1',
  }
  const presenceFlush = startPresenceFlush(deps, times.presenceFlushMs)
  const app = await buildServer({
    deps,
    ...host.routes,
    h5Dir,
    h5State: h5.state,
    isReady: () => ready,
    adminDir,
    cookieSecure: cookieSecureOf(process.env, settings.config.devLoginEnabled),
    uploadsDir: uploads,
  })

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log(`${signal}: stopping`)
    h5.stop()
    adminBuild.stop()
    await app.close().catch(() => undefined)
    await presenceFlush.stop().catch(() => undefined)
    await cacheDb.close().catch(() => undefined)
    await db.close().catch(() => undefined)
    await host.close().catch(() => undefined)
    await embedded?.stop().catch(() => undefined)
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))

  // The demo shop's images go through the upload path on every start (cloud/host/seed.ts demoImages).
  if (process.env.SEED !== '0' && (await seedIfEmpty(deps, await demoImages(host.services), [...deps.config.adminOpenids])))
    log('demo data seeded')
  ready = true
  await app.listen({ port, host: '127.0.0.1' })
  startJobs(deps, Number(process.env.JOB_INTERVAL_MS) || 30_000, log)
  if (h5.state() === 'building') {
    log(`API ready on http://127.0.0.1:${port}; the storefront page follows when its build is done`)
    void h5.done.then(() => {
      if (h5.state() === 'ready') log(`storefront ready: http://127.0.0.1:${port}`)
    })
  } else log(`storefront ready: http://127.0.0.1:${port}`)
  await printOwnerLink(deps, port)
}

/**
 * The first owner's one-time sign-in link to the console (15 minutes, once): no phone needed
 * locally. Only where dev login is on (local and test stacks): in production the log is no place
 * for a credential, and the owner signs in by scanning the console's code.
 */
async function printOwnerLink(deps: Deps, port: number) {
  const owner = [...deps.config.adminOpenids][0]
  if (!owner) return
  if (!deps.config.devLoginEnabled) {
    log(`merchant console: http://127.0.0.1:${port}/admin/ (sign in by scanning its code with WeChat)`)
    return
  }
  try {
    const { token } = await runAsSystem(deps, (ctx) => onceLink(ctx, owner))
    log(`merchant console, one-time owner sign-in (15 min): http://127.0.0.1:${port}/admin/login/once?token=${token}`)
  } catch (err) {
    log(`could not make the owner's sign-in link: ${err instanceof Error ? err.message : String(err)}`)
  }
}

main().catch((err) => {
  console.error('[weshop] failed to start:', err)
  process.exit(1)
})
