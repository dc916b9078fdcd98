/**
 * `npm start` as a newcomer runs it: embedded PostgreSQL under DATA_DIR, demo data, data that
 * survives kill -9 of the whole process group, two stacks side by side, and production refusing
 * dev login.
 */
import { freePort } from '../../cloud/host/postgres'
import { callHost, killGroup, startHost, tempDataDirs } from '../helpers/host'
import { startStack } from '../helpers/stack'

const dataDir = tempDataDirs('weshop-host-')

test('demo data is seeded once, and everything survives kill -9 of the whole stack', async () => {
  const dir = dataDir()
  const port = await freePort()
  let host = await startHost(dir, port)
  expect(host.output()).toContain('demo data seeded')
  const admin = (await callHost(host.url, 'auth', { action: 'devLogin', openid: 'admin' })).body.data.token
  const created = await callHost(host.url, 'admin', { action: 'createProduct', title: '断电测试茶', priceFen: 1234, stock: 5 }, admin)
  expect(created.status).toBe(200)
  const { productId } = created.body.data
  // The demo shop: the trial pack sells at its regular ¥59.00 (¥9.90 only through the deal), and
  // 客服 has the demo phone since SHOP_SERVICE_PHONE is unset.
  const seeded = (await callHost(host.url, 'catalog', { action: 'list', limit: 50 }, admin)).body.data.items
  const trial = seeded.find((p: { title: string }) => p.title === '新人尝鲜 三款试饮装')
  expect(trial).toMatchObject({ priceFen: 5900, listPriceFen: null })
  const page = (await callHost(host.url, 'catalog', { action: 'get', productId: trial.id }, admin)).body.data
  expect(page.servicePhone).toBe('400-000-0000')
  expect(page.product.skus.map((s: { priceFen: number }) => s.priceFen)).toEqual([5900])

  await killGroup(host, 'SIGKILL')
  host = await startHost(dir, port)
  expect(host.output()).not.toContain('demo data seeded')
  const got = await callHost(host.url, 'catalog', { action: 'get', productId }, admin)
  expect(got.body.data.product).toMatchObject({ title: '断电测试茶', priceFen: 1234, stock: 5 })
  const list = await callHost(host.url, 'catalog', { action: 'list', limit: 50 }, admin)
  expect(list.body.data.items).toHaveLength(17) // 16 seeded + 1, no second seed
  await killGroup(host, 'SIGTERM')
}, 120_000)

test('two stacks with their own PORT and DATA_DIR run side by side; SEED=0 starts empty', async () => {
  const [a, b] = await Promise.all([
    freePort().then((p) => startHost(dataDir(), p)),
    freePort().then((p) => startHost(dataDir(), p, { SEED: '0' })),
  ])
  const tokenA = (await callHost(a.url, 'auth', { action: 'devLogin', openid: 'x' })).body.data.token
  const tokenB = (await callHost(b.url, 'auth', { action: 'devLogin', openid: 'x' })).body.data.token
  expect((await callHost(a.url, 'catalog', { action: 'list' }, tokenA)).body.data.items.length).toBe(10)
  expect((await callHost(b.url, 'catalog', { action: 'list' }, tokenB)).body.data.items).toEqual([])
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
