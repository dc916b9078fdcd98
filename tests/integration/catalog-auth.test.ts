import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string
let shopper: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  shopper = (await stack.login('shopper-1', '小林')).token
}, 90_000)
afterAll(() => stack?.stop())

const product = (i: number) => ({
  action: 'createProduct',
  title: `测试商品 ${i}`,
  priceFen: 1000 + i,
  listPriceFen: 2000 + i,
  stock: i,
})

describe('auth', () => {
  test('devLogin creates the user once and answers a token, the user and their status', async () => {
    const first = await stack.login('openid-a', '阿明')
    const again = await stack.login('openid-a')
    expect(first.token).not.toEqual(again.token)
    expect(again.user).toEqual({ id: first.user.id, nickname: '阿明', avatarUrl: null, isAdmin: false, role: null, isNewCustomer: true })
    const me = await stack.ok('auth', { action: 'me' }, again.token)
    expect(me.user.id).toBe(first.user.id)
  })

  test('admins come from ADMIN_OPENIDS', async () => {
    const { user } = await stack.login('admin')
    expect(user.isAdmin).toBe(true)
    expect(user.role).toBe('owner')
  })

  test('a call without a token is 401, with an unknown token too', async () => {
    const none = await stack.call('catalog', { action: 'list' })
    expect(none.status).toBe(401)
    expect(none.body).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: '请先登录' } })
    const bad = await stack.call('catalog', { action: 'list' }, 'not-a-real-token')
    expect(bad.status).toBe(401)
  })

  test('identity never comes from a field of the call', async () => {
    const r = await stack.call('auth', { action: 'me', openid: 'admin', userId: 'u_x' }, shopper)
    expect(r.status).toBe(200)
    expect(r.body.ok && r.body.data.user.isAdmin).toBe(false)
  })
})

describe('admin', () => {
  test('a shopper is refused admin actions with 403 and nothing is created', async () => {
    const before = await stack.ok('catalog', { action: 'list', limit: 50 }, shopper)
    const r = await stack.call('admin', product(99), shopper)
    expect(r.status).toBe(403)
    expect(r.body.ok).toBe(false)
    if (!r.body.ok) expect(r.body.error.code).toBe('FORBIDDEN')
    const after = await stack.ok('catalog', { action: 'list', limit: 50 }, shopper)
    expect(after.items).toHaveLength(before.items.length)
  })

  test('an admin creates a product the catalog then shows', async () => {
    const { productId } = await stack.ok('admin', product(7), admin)
    const { product: p } = await stack.ok('catalog', { action: 'get', productId }, shopper)
    expect(p).toMatchObject({ id: productId, title: '测试商品 7', priceFen: 1007, listPriceFen: 2007, stock: 7 })
  })
})

describe('catalog paging', () => {
  test('pages walk every product once, newest first, and end with a null cursor', async () => {
    for (let i = 0; i < 23; i++) await stack.ok('admin', product(100 + i), admin)
    const { items: all } = await stack.ok('catalog', { action: 'list', limit: 50 }, shopper)
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await stack.ok('catalog', { action: 'list', limit: 5, ...(cursor ? { cursor } : {}) }, shopper)
      expect(page.items.length).toBeLessThanOrEqual(5)
      seen.push(...page.items.map((p: { id: string }) => p.id))
      cursor = page.nextCursor ?? undefined
      pages++
    } while (cursor)
    expect(seen).toEqual(all.map((p: { id: string }) => p.id))
    expect(new Set(seen).size).toBe(seen.length)
    expect(pages).toBe(Math.ceil(all.length / 5))
    expect(all[0].title).toBe('测试商品 122')
  })

  test('an unknown product is 404', async () => {
    const r = await stack.call('catalog', { action: 'get', productId: 'p_nope' }, shopper)
    expect(r.status).toBe(404)
  })
})

describe('bad input is 400 VALIDATION_FAILED, changes nothing and never takes the server down', () => {
  const cases: Array<[string, () => Promise<{ status: number; body: any }>]> = [
    ['unknown function', () => stack.call('nope', { action: 'list' }, shopper)],
    ['unknown action', () => stack.call('catalog', { action: 'drop' }, shopper)],
    ['missing action', () => stack.call('catalog', {}, shopper)],
    ['malformed JSON', () => stack.post('/api/fn/catalog', '{"action":', { authorization: `Bearer ${shopper}` })],
    ['body is an array', () => stack.post('/api/fn/catalog', '[1,2]', { authorization: `Bearer ${shopper}` })],
    ['body over 64 KiB', () => stack.call('admin', { ...product(1), title: 'x'.repeat(70_000) }, admin)],
    ['price as a string', () => stack.call('admin', { ...product(1), priceFen: '990' }, admin)],
    ['price with a fraction of a fen', () => stack.call('admin', { ...product(1), priceFen: 9.9 }, admin)],
    ['negative stock', () => stack.call('admin', { ...product(1), stock: -1 }, admin)],
    ['a cursor that was never issued', () => stack.call('catalog', { action: 'list', cursor: 'Zm9v' }, shopper)],
    ['a NUL byte in a string', () => stack.call('admin', { ...product(1), title: 'a\u0000b' }, admin)],
    ['openid too long', () => stack.call('auth', { action: 'devLogin', openid: 'o'.repeat(65) })],
    ['commission rate above 0.5', () => stack.call('admin', { ...product(1), commissionRate: 0.8 }, admin)],
  ]

  test.each(cases)('%s', async (_name, run) => {
    const before = await stack.ok('catalog', { action: 'list', limit: 50 }, shopper)
    const r = await run()
    expect(r.status).toBe(400)
    expect(r.body.ok).toBe(false)
    expect(r.body.error.code).toBe('VALIDATION_FAILED')
    expect(JSON.stringify(r.body)).not.toMatch(/SELECT|INSERT|at .*\.ts|stack/i)
    const health = await fetch(`${stack.url}/api/health`)
    expect(health.status).toBe(200)
    const after = await stack.ok('catalog', { action: 'list', limit: 50 }, shopper)
    expect(after.items.map((p: { id: string }) => p.id)).toEqual(before.items.map((p: { id: string }) => p.id))
  })
})
