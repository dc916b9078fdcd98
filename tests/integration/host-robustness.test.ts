/**
 * The host tells the truth about itself and outlives what goes wrong around it: /api/health says 503
 * while PostgreSQL is unreachable, the embedded PostgreSQL is restarted after kill -9 (and a
 * DATABASE_URL one is reconnected to when it is back), calls fail fast meanwhile instead of hanging,
 * and clients that trickle their requests a byte at a time are cut off.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { freePort } from '../../cloud/host/postgres'
import { callHost, health, killGroup, sleep, startHost as startAnyHost, tempDataDirs, type Host } from '../helpers/host'
import { ROOT, startStack } from '../helpers/stack'

/** A host with its own embedded PostgreSQL and no demo data. */
const startHost = (dataDir: string, port: number, env: Record<string, string> = {}) => startAnyHost(dataDir, port, { SEED: '0', ...env })
const call = callHost

/** Polls until `check` holds, up to `ms`; the time it took, or null. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number | null> {
  const start = Date.now()
  while (Date.now() - start < ms) {
    if (await check()) return Date.now() - start
    await sleep(20)
  }
  return null
}

/** An embedded PostgreSQL in a process of its own (tests/helpers/pg-process.ts); rejects if it can't start. */
function startDatabase(dataDir: string, port?: number): Promise<{ url: string; port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tests/helpers/pg-process.ts'), dataDir, ...(port ? [String(port)] : [])],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  let err = ''
  child.stderr!.on('data', (d) => (err += d))
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d
      if (out.includes('\n')) resolve({ ...JSON.parse(out.split('\n')[0]!), child })
    })
    child.once('exit', (code) => reject(new Error(`PostgreSQL did not start (exit ${code}): ${err}`)))
  })
}

const stopDatabase = (db: { child: ChildProcess }) =>
  new Promise<void>((resolve) => {
    if (db.child.exitCode !== null) return resolve()
    db.child.once('exit', () => resolve())
    db.child.kill('SIGTERM')
  })

const postmasterPid = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])

const stopHost = (h: Host) => killGroup(h, 'SIGTERM')
const dataDir = tempDataDirs('weshop-robust-')

test('kill -9 of the embedded PostgreSQL: health answers 503, the host restarts it, and calls find their data again', async () => {
  const dir = dataDir()
  const host = await startHost(dir, await freePort())
  try {
    const admin = (await call(host.url, 'auth', { action: 'devLogin', openid: 'admin' })).body.data.token
    const created = await call(host.url, 'admin', { action: 'createProduct', title: '复活测试茶', priceFen: 990, stock: 3 }, admin)
    expect(created.status).toBe(200)
    const { productId } = created.body.data
    const pids = new Set<number>()
    for (let round = 1; round <= 2; round++) {
      const pid = postmasterPid(dir)
      pids.add(pid)
      // Calls in flight when it dies: each answers 200 or 500, and none takes the host down.
      const inFlight = Promise.all(Array.from({ length: 20 }, () => call(host.url, 'catalog', { action: 'get', productId }, admin)))
      process.kill(pid, 'SIGKILL')
      const seen: number[] = []
      const down = await within(5_000, async () => seen.push(await health(host.url)) > 0 && seen.at(-1) === 503)
      if (down === null) throw new Error(`no 503 after kill -9 (health said ${[...new Set(seen)]}):\n${host.output()}`)
      // Meanwhile a call fails fast (500) or, once the database is back, succeeds: it never hangs.
      const t0 = Date.now()
      const meanwhile = await call(host.url, 'catalog', { action: 'get', productId }, admin)
      const callMs = Date.now() - t0
      expect([200, 500]).toContain(meanwhile.status)
      expect(callMs).toBeLessThan(5_000)
      const up = await within(30_000, async () => (await health(host.url)) === 200)
      expect(up).not.toBeNull()
      for (const r of await inFlight) expect([200, 500]).toContain(r.status)
      console.log(
        `round ${round}: 503 after ${down} ms, a call answered ${meanwhile.status} in ${callMs} ms, 200 again after ${down! + up!} ms`,
      )
      const got = await call(host.url, 'catalog', { action: 'get', productId }, admin)
      expect(got.status).toBe(200)
      expect(got.body.data.product).toMatchObject({ title: '复活测试茶', priceFen: 990 })
      expect(
        (await call(host.url, 'admin', { action: 'createProduct', title: `第${round}次之后`, priceFen: 100, stock: 1 }, admin)).status,
      ).toBe(200)
    }
    pids.add(postmasterPid(dir))
    expect(pids.size).toBe(3) // a new server each time
    expect(host.output()).toContain('embedded PostgreSQL exited (pid')
    expect(host.output()).toContain('restarting it on port')
    expect(host.output()).toContain('embedded PostgreSQL restarted in')
    expect(host.child.exitCode).toBeNull()
  } finally {
    await stopHost(host)
  }
}, 120_000)

test('with DATABASE_URL: health answers 503 while that database is down, calls fail fast, and the host reconnects when it is back', async () => {
  const pgDir = dataDir()
  let pg = await startDatabase(pgDir)
  const host = await startHost(dataDir(), await freePort(), { DATABASE_URL: pg.url })
  try {
    const admin = (await call(host.url, 'auth', { action: 'devLogin', openid: 'admin' })).body.data.token
    const { productId } = (
      await call(host.url, 'admin', { action: 'createProduct', title: '外部库测试茶', priceFen: 500, stock: 2 }, admin)
    ).body.data
    // Fill the pool with connections, so broken ones have to be thrown away afterwards.
    await Promise.all(Array.from({ length: 10 }, () => call(host.url, 'catalog', { action: 'list' }, admin)))

    const gone = new Promise((r) => pg.child.once('exit', r))
    process.kill(postmasterPid(pgDir), 'SIGKILL')
    await gone
    expect(await within(3_000, async () => (await health(host.url)) === 503)).not.toBeNull()
    const t0 = Date.now()
    const failed = await Promise.all(Array.from({ length: 5 }, () => call(host.url, 'catalog', { action: 'get', productId }, admin)))
    const failMs = Date.now() - t0
    expect(failed.map((r) => r.status)).toEqual([500, 500, 500, 500, 500])
    expect(failed[0]!.body).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.any(String) } })
    expect(failMs).toBeLessThan(3_000)

    // The same database back on the same port (its old backends may take a moment to go).
    const back = Date.now()
    for (;;) {
      try {
        pg = await startDatabase(pgDir, pg.port)
        break
      } catch (err) {
        if (Date.now() - back > 20_000) throw err
        await sleep(250)
      }
    }
    const up = await within(10_000, async () => (await health(host.url)) === 200)
    expect(up).not.toBeNull()
    console.log(`DATABASE_URL: 5 calls answered 500 in ${failMs} ms while down; healthy ${up} ms after the database was back`)
    // Every call after that works: no broken connection was given back to the pool.
    const calls = await Promise.all(Array.from({ length: 20 }, () => call(host.url, 'catalog', { action: 'get', productId }, admin)))
    expect(calls.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect(calls[0]!.body.data.product.title).toBe('外部库测试茶')
    expect(host.child.exitCode).toBeNull()
  } finally {
    await stopHost(host)
    await stopDatabase(pg)
  }
}, 120_000)

test('clients trickling a request a byte at a time are cut off, while others are served meanwhile', async () => {
  const stack = await startStack()
  try {
    const { port } = new URL(stack.url)
    const opened = Date.now()
    const sockets = (n: number, kind: 'headers' | 'body' | 'silent') =>
      Array.from({ length: n }, () => {
        const socket = net.connect(Number(port), '127.0.0.1')
        let timer: NodeJS.Timeout | undefined
        socket.on('error', () => undefined)
        socket.resume() // reads the 408, so 'close' is seen
        socket.on('connect', () => {
          if (kind === 'headers') socket.write('POST /api/fn/catalog HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ')
          if (kind === 'body')
            socket.write(
              'POST /api/fn/catalog HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
            )
          if (kind !== 'silent') timer = setInterval(() => socket.write('a'), 3_000)
        })
        return new Promise<number>((resolve) =>
          socket.on('close', () => {
            clearInterval(timer)
            resolve(Date.now() - opened)
          }),
        )
      })
    const headerClosed = Promise.all(sockets(20, 'headers'))
    const silentClosed = Promise.all(sockets(10, 'silent'))
    const bodyClosed = Promise.all(sockets(20, 'body'))

    await sleep(5_000)
    const t0 = Date.now()
    const token = (await stack.login('patient-shopper')).token
    expect((await stack.call('catalog', { action: 'list' }, token)).status).toBe(200)
    expect(Date.now() - t0).toBeLessThan(2_000)

    // Headers within 10 s, the whole request within 30 s; Node checks every second.
    const headers = await headerClosed
    const silent = await silentClosed
    expect(Math.max(...headers, ...silent)).toBeLessThan(14_000)
    const bodies = await bodyClosed
    expect(Math.min(...bodies)).toBeGreaterThan(20_000) // a slow body is not mistaken for slow headers
    expect(Math.max(...bodies)).toBeLessThan(34_000)
    console.log(
      `slow clients closed after: headers ${Math.max(...headers)} ms, silent ${Math.max(...silent)} ms, body ${Math.max(...bodies)} ms`,
    )
    expect((await stack.call('catalog', { action: 'list' }, token)).status).toBe(200)
  } finally {
    await stack.stop()
  }
}, 45_000)
