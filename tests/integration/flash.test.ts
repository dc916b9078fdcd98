/** Members-only flash sales: stock, per-user limit and window held by the database and the server's clock. */
import { createFlashSale, createProduct, key, payOrder, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string
let cheap: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  cheap = await createProduct(stack, admin, { priceFen: 100, stock: 1000 })
}, 90_000)
afterAll(() => stack?.stop())

const hour = 3_600_000
const sale = (fields: Record<string, unknown> = {}) => createFlashSale(stack, admin, fields)

/** Users who have paid an order: existing customers (老会员). */
async function members(n: number, prefix: string) {
  const tokens: string[] = []
  for (let i = 0; i < n; i++) {
    const { token } = await stack.login(`${prefix}-${i}`)
    const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId: cheap, qty: 1 }], idempotencyKey: key() }, token)
    await payOrder(stack, token, orderId)
    tokens.push(token)
  }
  return tokens
}

const buy = (token: string, s: { productId: string; flashSaleId: string }, qty = 1) =>
  stack.call(
    'order',
    { action: 'create', items: [{ productId: s.productId, qty }], flashSaleId: s.flashSaleId, idempotencyKey: key() },
    token,
  )

test('40 existing customers racing for a 10-unit members-only sale get 10, at the sale price', async () => {
  const s = await sale()
  const tokens = await members(40, 'member')
  const results = await Promise.all(tokens.map((t) => buy(t, s)))
  const ok = results.filter((r) => r.status === 200)
  expect(ok).toHaveLength(10)
  for (const r of ok) expect((r.body as any).data.payableFen).toBe(100)
  for (const r of results.filter((x) => x.status !== 200)) expect((r.body as any).error.code).toBe('FLASH_SALE_SOLD_OUT')
  const [{ sold }] = await sql(stack, 'SELECT sold FROM flash_sales WHERE id = $1', [s.flashSaleId])
  expect(sold).toBe(10)
}, 120_000)

test('a new customer is refused the members-only sale with the reason', async () => {
  const s = await sale()
  const { token } = await stack.login('newcomer')
  const r = await buy(token, s)
  expect(r.status).toBe(409)
  expect(r.body).toMatchObject({ ok: false, error: { code: 'NOT_EXISTING_CUSTOMER', message: '老会员专享，完成首单后即可参与' } })
  const open = await sale({ audience: 'all' })
  expect((await buy(token, open)).status).toBe(200)
})

test('outside its window by the server clock the sale is FLASH_SALE_NOT_ACTIVE', async () => {
  const [token] = await members(1, 'early')
  const upcoming = await sale({
    startsAt: new Date(Date.now() + hour).toISOString(),
    endsAt: new Date(Date.now() + 2 * hour).toISOString(),
  })
  const r = await buy(token!, upcoming)
  expect(r.body).toMatchObject({ ok: false, error: { code: 'FLASH_SALE_NOT_ACTIVE' } })
  const { serverTime, items } = await stack.ok('flash', { action: 'list' }, token)
  expect(Math.abs(new Date(serverTime).getTime() - Date.now())).toBeLessThan(5000)
  expect(items.find((i: any) => i.id === upcoming.flashSaleId).state).toBe('upcoming')
})

test('the per-user limit holds against racing orders, and a cancel gives the unit back', async () => {
  const s = await sale({ perUserLimit: 2, stock: 50 })
  const [token] = await members(1, 'greedy')
  const results = await Promise.all([1, 2, 3, 4, 5].map(() => buy(token!, s)))
  const ok = results.filter((r) => r.status === 200)
  expect(ok).toHaveLength(2)
  for (const r of results.filter((x) => x.status !== 200)) expect((r.body as any).error.code).toBe('FLASH_SALE_LIMIT_REACHED')
  await stack.ok('order', { action: 'cancel', orderId: (ok[0]!.body as any).data.orderId }, token)
  const [{ sold }] = await sql(stack, 'SELECT sold FROM flash_sales WHERE id = $1', [s.flashSaleId])
  expect(sold).toBe(1)
  expect((await buy(token!, s)).status).toBe(200)
  expect((await buy(token!, s)).status).toBe(409)
})

test('flash.list tells each caller the units they hold, paid and unpaid alike, as the limit counts them', async () => {
  const s = await sale({ perUserLimit: 2, stock: 50 })
  const [token, other] = await members(2, 'holder')
  const mine = async (t: string) => (await stack.ok('flash', { action: 'list' }, t)).items.find((i: any) => i.id === s.flashSaleId).mine
  expect(await mine(token!)).toBe(0)
  const first = (await buy(token!, s)).body as any
  await payOrder(stack, token!, first.data.orderId)
  expect(await mine(token!)).toBe(1)
  const second = (await buy(token!, s)).body as any // left unpaid: still counts
  expect(await mine(token!)).toBe(2)
  expect((await buy(token!, s)).body).toMatchObject({ ok: false, error: { code: 'FLASH_SALE_LIMIT_REACHED' } })
  // Another shopper's view is their own.
  expect(await mine(other!)).toBe(0)
  await stack.ok('order', { action: 'cancel', orderId: second.data.orderId }, token)
  expect(await mine(token!)).toBe(1)
})

test('coupons skip flash-sale lines unless their template allows it', async () => {
  const s = await sale({ audience: 'all', salePriceFen: 5000 })
  const { token } = await stack.login('coupon-on-flash')
  const plain = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '普通券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 10, perUserLimit: 1 },
    admin,
  )
  const special = await stack.ok(
    'admin',
    {
      action: 'createCoupon',
      title: '秒杀可用',
      kind: 'fixed',
      valueFen: 500,
      thresholdFen: 0,
      stock: 10,
      perUserLimit: 1,
      allowOnSpecial: true,
    },
    admin,
  )
  const a = (await stack.ok('coupon', { action: 'claim', couponId: plain.couponId }, token)).userCouponId
  const b = (await stack.ok('coupon', { action: 'claim', couponId: special.couponId }, token)).userCouponId
  const refused = await stack.call(
    'order',
    { action: 'create', items: [{ productId: s.productId, qty: 1 }], flashSaleId: s.flashSaleId, userCouponId: a, idempotencyKey: key() },
    token,
  )
  expect(refused.body).toMatchObject({ ok: false, error: { code: 'COUPON_NOT_APPLICABLE' } })
  const ok = await stack.ok(
    'order',
    { action: 'create', items: [{ productId: s.productId, qty: 1 }], flashSaleId: s.flashSaleId, userCouponId: b, idempotencyKey: key() },
    token,
  )
  expect(ok.payableFen).toBe(4500)
})
