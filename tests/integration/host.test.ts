/**
 * `npm start` as a newcomer runs it: embedded PostgreSQL under DATA_DIR, demo data, data that
 * survives kill -9 of the whole process group, two stacks side by side, and production refusing
 * dev login.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../../cloud/host/postgres'
import { ROOT, startStack } from '../helpers/stack'

interface Host {
  child: ChildProcess
  url: string
  output: () => string
}

async function startHost(dataDir: string, port: number, env: Record<string, string> = {}): Promise<Host> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'cloud/host/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), BUILD_H5: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as a terminal's `npm start` is
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`host exited: ${out}`)
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (Date.now() > deadline) throw new Error(`host never became healthy: ${out}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return { child, url, output: () => out }
}

async function call(url: string, fn: string, data: object, token?: string) {
  const res = await fetch(`${url}/api/fn/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(data),
  })
  return { status: res.status, body: (await res.json()) as any }
}

const killGroup = (h: Host, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    h.child.once('exit', () => resolve())
    process.kill(-h.child.pid!, signal)
  })

const tmpDirs: string[] = []
const dataDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-host-'))
  fs.chmodSync(d, 0o755)
  tmpDirs.push(d)
  return d
}
afterAll(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

test('demo data is seeded once, and everything survives kill -9 of the whole stack', async () => {
  const dir = dataDir()
  const port = await freePort()
  let host = await startHost(dir, port)
  expect(host.output()).toContain('demo data seeded')
  const admin = (await call(host.url, 'auth', { action: 'devLogin', openid: 'admin' })).body.data.token
  const created = await call(host.url, 'admin', { action: 'createProduct', title: '断电测试茶', priceFen: 1234, stock: 5 }, admin)
  expect(created.status).toBe(200)
  const { productId } = created.body.data

  await killGroup(host, 'SIGKILL')
  host = await startHost(dir, port)
  expect(host.output()).not.toContain('demo data seeded')
  const got = await call(host.url, 'catalog', { action: 'get', productId }, admin)
  expect(got.body.data.product).toMatchObject({ title: '断电测试茶', priceFen: 1234, stock: 5 })
  const list = await call(host.url, 'catalog', { action: 'list', limit: 50 }, admin)
  expect(list.body.data.items).toHaveLength(17) // 16 seeded + 1, no second seed
  await killGroup(host, 'SIGTERM')
}, 120_000)

test('two stacks with their own PORT and DATA_DIR run side by side; SEED=0 starts empty', async () => {
  const [a, b] = await Promise.all([
    freePort().then((p) => startHost(dataDir(), p)),
    freePort().then((p) => startHost(dataDir(), p, { SEED: '0' })),
  ])
  const tokenA = (await call(a.url, 'auth', { action: 'devLogin', openid: 'x' })).body.data.token
  const tokenB = (await call(b.url, 'auth', { action: 'devLogin', openid: 'x' })).body.data.token
  expect((await call(a.url, 'catalog', { action: 'list' }, tokenA)).body.data.items.length).toBe(10)
  expect((await call(b.url, 'catalog', { action: 'list' }, tokenB)).body.data.items).toEqual([])
  await Promise.all([killGroup(a, 'SIGTERM'), killGroup(b, 'SIGTERM')])
}, 120_000)

test('production without DEV_LOGIN=1 refuses dev login with 403', async () => {
  // Production needs WeChat's settings or an explicit sandbox opt-in to start (tests/integration/self-hosting.test.ts).
  const stack = await startStack({
    env: { NODE_ENV: 'production', PAY_PROVIDER: 'sandbox', LOGIN_PROVIDER: 'sandbox', UNSAFE_SANDBOX_IN_PRODUCTION: '1' },
  })
  try {
    const r = await stack.call('auth', { action: 'devLogin', openid: 'someone' })
    expect(r.status).toBe(403)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  } finally {
    await stack.stop()
  }
}, 60_000)
