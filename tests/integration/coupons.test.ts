/** Coupon limits that hold in a storm, and coupons that pay for one order at most. */
import { createProduct, key, payOrder, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const coupon = async (fields: Record<string, unknown>) =>
  (
    await stack.ok(
      'admin',
      { action: 'createCoupon', title: '测试券', kind: 'fixed', valueFen: 1000, thresholdFen: 0, stock: 100, perUserLimit: 1, ...fields },
      admin,
    )
  ).couponId as string
const users = (n: number, prefix: string) => Promise.all(Array.from({ length: n }, (_, i) => stack.login(`${prefix}-${i}`)))

test('a claim storm: 500 users claiming 4 times each at once for 100 coupons, limit 1 — exactly 100 claimed, nobody over the limit', async () => {
  const couponId = await coupon({ stock: 100, perUserLimit: 1 })
  const crowd = await users(500, 'storm')
  const results = await Promise.all(
    crowd.flatMap((u) => [1, 2, 3, 4].map(() => stack.call('coupon', { action: 'claim', couponId }, u.token))),
  )
  const ok = results.filter((r) => r.status === 200)
  expect(ok).toHaveLength(100)
  const codes = new Set(results.filter((r) => r.status !== 200).map((r) => (r.body as any).error.code))
  expect([...codes].every((c) => c === 'COUPON_SOLD_OUT' || c === 'COUPON_LIMIT_REACHED')).toBe(true)
  const [{ claimed }] = await sql(stack, 'SELECT claimed FROM coupons WHERE id = $1', [couponId])
  expect(claimed).toBe(100)
  const perUser = await sql(stack, 'SELECT user_id, count(*)::int AS n FROM user_coupons WHERE coupon_id = $1 GROUP BY user_id', [couponId])
  expect(perUser).toHaveLength(100)
  expect(Math.max(...perUser.map((r) => r.n))).toBe(1)
}, 120_000)

test('limit 3 with ample stock: each racing user ends with exactly 3', async () => {
  const couponId = await coupon({ stock: 10_000, perUserLimit: 3 })
  const crowd = await users(40, 'triple')
  const results = await Promise.all(
    crowd.flatMap((u) => Array.from({ length: 7 }, () => stack.call('coupon', { action: 'claim', couponId }, u.token))),
  )
  expect(results.filter((r) => r.status === 200)).toHaveLength(120)
  for (const r of results.filter((x) => x.status !== 200)) expect((r.body as any).error.code).toBe('COUPON_LIMIT_REACHED')
  const perUser = await sql(stack, 'SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1 GROUP BY user_id', [couponId])
  expect(perUser.map((r) => r.n)).toEqual(Array(40).fill(3))
  // Stock of 10,000: kept in slots (coupon.rules claimSlots); the desk's figure sums them.
  expect((await stack.ok('admin', { action: 'coupon', couponId }, admin)).coupon.figures.claimed).toBe(120)
  const [{ n }] = await sql(stack, 'SELECT sum(claimed)::int AS n FROM coupon_slots WHERE coupon_id = $1', [couponId])
  expect(n).toBe(120)
}, 60_000)

test('claims outside the window are COUPON_NOT_ACTIVE and take nothing', async () => {
  const day = 86_400_000
  const early = await coupon({ validFrom: new Date(Date.now() + day).toISOString(), validTo: new Date(Date.now() + 2 * day).toISOString() })
  const late = await coupon({
    validFrom: new Date(Date.now() - 2 * day).toISOString(),
    validTo: new Date(Date.now() - day).toISOString(),
    // A window already over is asked about first (coupon.rules createWarnings).
    confirm: ['ENDS_SOON'],
  })
  const [u] = await users(1, 'window')
  for (const couponId of [early, late]) {
    const r = await stack.call('coupon', { action: 'claim', couponId }, u.token)
    expect(r.status).toBe(409)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'COUPON_NOT_ACTIVE' } })
  }
  expect(await sql(stack, 'SELECT 1 FROM user_coupons WHERE coupon_id = ANY($1)', [[early, late]])).toHaveLength(0)
  const center = await stack.ok('coupon', { action: 'center' }, u.token)
  expect(center.items.find((c: any) => c.couponId === early).state).toBe('not_started')
  expect(center.items.find((c: any) => c.couponId === late)).toBeUndefined()
})

test('two racing orders with one coupon: one order is discounted, the other refused, and nothing is left half-done', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 5000, stock: 10 })
  const couponId = await coupon({ valueFen: 1500, thresholdFen: 4000 })
  const [u] = await users(1, 'double-spend')
  const { userCouponId } = await stack.ok('coupon', { action: 'claim', couponId }, u.token)
  const results = await Promise.all(
    [1, 2, 3].map(() =>
      stack.call('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), userCouponId }, u.token),
    ),
  )
  const ok = results.filter((r) => r.status === 200)
  expect(ok).toHaveLength(1)
  expect((ok[0]!.body as any).data.payableFen).toBe(3500)
  for (const r of results.filter((x) => x.status !== 200)) expect((r.body as any).error.code).toBe('COUPON_NOT_APPLICABLE')
  const [{ stock }] = await sql(stack, 'SELECT stock FROM skus WHERE product_id = $1', [productId])
  expect(stock).toBe(9)
})

test('below the threshold is COUPON_NOT_APPLICABLE; a coupon of another user cannot be used', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 3000, stock: 10 })
  const couponId = await coupon({ valueFen: 1000, thresholdFen: 9900 })
  const [u, thief] = await users(2, 'threshold')
  const { userCouponId } = await stack.ok('coupon', { action: 'claim', couponId }, u.token)
  const below = await stack.call(
    'order',
    { action: 'create', items: [{ productId, qty: 3 }], idempotencyKey: key(), userCouponId },
    u.token,
  )
  expect(below.body).toMatchObject({
    ok: false,
    error: { code: 'COUPON_NOT_APPLICABLE', details: { code: 'BELOW_THRESHOLD', shortFen: 900 } },
  })
  const stolen = await stack.call(
    'order',
    { action: 'create', items: [{ productId, qty: 4 }], idempotencyKey: key(), userCouponId },
    thief.token,
  )
  expect(stolen.body).toMatchObject({ ok: false, error: { code: 'COUPON_NOT_APPLICABLE' } })
  const ok = await stack.ok('order', { action: 'create', items: [{ productId, qty: 4 }], idempotencyKey: key(), userCouponId }, u.token)
  expect(ok.payableFen).toBe(11000)
})

test('cancel gives the coupon back; payment uses it; refund gives it back again', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 2000, stock: 10 })
  const couponId = await coupon({ kind: 'percent', valueFen: undefined, percentOff: 15, maxOffFen: 1000 })
  const [u] = await users(1, 'giveback')
  const { userCouponId } = await stack.ok('coupon', { action: 'claim', couponId }, u.token)
  const status = async () =>
    (await stack.ok('coupon', { action: 'mine' }, u.token)).items.find((c: any) => c.userCouponId === userCouponId).status
  const first = await stack.ok('order', { action: 'create', items: [{ productId, qty: 3 }], idempotencyKey: key(), userCouponId }, u.token)
  expect(first.payableFen).toBe(6000 - 900)
  expect(await status()).toBe('locked')
  await stack.ok('order', { action: 'cancel', orderId: first.orderId }, u.token)
  expect(await status()).toBe('available')
  const second = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), userCouponId }, u.token)
  expect(second.payableFen).toBe(1700)
  await payOrder(stack, u.token, second.orderId)
  expect(await status()).toBe('used')
  await stack.ok('order', { action: 'requestRefund', orderId: second.orderId, reason: '不想要了' }, u.token)
  await stack.ok('admin', { action: 'approveRefund', orderId: second.orderId }, admin)
  expect(await status()).toBe('available')
})

test('checkout lists every held coupon: the best usable first, the others with their reason', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 8700, stock: 10 })
  const otherProduct = await createProduct(stack, admin, { priceFen: 100, stock: 10 })
  const [u] = await users(1, 'picker')
  const ids = {
    small: await coupon({ title: '满50减5', valueFen: 500, thresholdFen: 5000 }),
    big: await coupon({ title: '满50减20', valueFen: 2000, thresholdFen: 5000 }),
    far: await coupon({ title: '满99减10', valueFen: 1000, thresholdFen: 9900 }),
    elsewhere: await coupon({ title: '指定商品', valueFen: 300, scope: 'products', scopeIds: [otherProduct] }),
  }
  for (const couponId of Object.values(ids)) await stack.ok('coupon', { action: 'claim', couponId }, u.token)
  const { items, bestId } = await stack.ok('coupon', { action: 'forCheckout', items: [{ productId, qty: 1 }] }, u.token)
  expect(items.map((c: any) => [c.title, c.savingFen, c.unusable])).toEqual([
    ['满50减20', 2000, null],
    ['满50减5', 500, null],
    ['满99减10', 0, { code: 'BELOW_THRESHOLD', shortFen: 1200 }],
    ['指定商品', 0, { code: 'NOT_APPLICABLE' }],
  ])
  expect(bestId).toBe(items[0].userCouponId)
  const preview = await stack.ok('order', { action: 'preview', items: [{ productId, qty: 1 }], userCouponId: bestId }, u.token)
  expect(preview).toMatchObject({ goodsFen: 8700, discountFen: 2000, payableFen: 6700 })
})

test('the discount is split across the lines it applies to, and recorded per line', async () => {
  const tea = await createProduct(stack, admin, { priceFen: 3000, stock: 10 })
  const cup = await createProduct(stack, admin, { priceFen: 1000, stock: 10 })
  const couponId = await coupon({ valueFen: 1001, thresholdFen: 0 })
  const [u] = await users(1, 'split')
  const { userCouponId } = await stack.ok('coupon', { action: 'claim', couponId }, u.token)
  const { orderId, payableFen } = await stack.ok(
    'order',
    {
      action: 'create',
      items: [
        { productId: tea, qty: 1 },
        { productId: cup, qty: 2 },
      ],
      idempotencyKey: key(),
      userCouponId,
    },
    u.token,
  )
  expect(payableFen).toBe(5000 - 1001)
  const { order } = await stack.ok('order', { action: 'get', orderId }, u.token)
  expect(order.items.reduce((s: number, i: any) => s + i.discountFen, 0)).toBe(1001)
  for (const i of order.items) expect(i.discountFen).toBeLessThanOrEqual(i.lineFen)
})

test('admin.issueCoupon grants once per user and grant key; only admins may', async () => {
  const couponId = await coupon({ stock: 1, title: '直播后福利' })
  const crowd = await users(3, 'grant')
  const ids = crowd.map((u) => u.user.id)
  expect((await stack.call('admin', { action: 'issueCoupon', couponId, userIds: ids, grantKey: 'live-1' }, crowd[0]!.token)).status).toBe(
    403,
  )
  const first = await Promise.all(
    [1, 2].map(() => stack.ok('admin', { action: 'issueCoupon', couponId, userIds: ids, grantKey: 'live-1' }, admin)),
  )
  expect(first.reduce((n, r) => n + r.issued, 0)).toBe(3)
  const again = await stack.ok('admin', { action: 'issueCoupon', couponId, userIds: ids, grantKey: 'live-1' }, admin)
  expect(again).toEqual({ issued: 0, already: 3 })
  const [{ n }] = await sql(stack, 'SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1', [couponId])
  expect(n).toBe(3)
})

test("the claim center's order never depends on the caller's claims or the stock left, and carries each coupon's scope", async () => {
  const first = await coupon({ title: '顺序券一', stock: 1, perUserLimit: 1 })
  const second = await coupon({
    title: '顺序券二',
    stock: 5,
    perUserLimit: 1,
    scope: 'products',
    scopeIds: [await createProduct(stack, admin, { stock: 1 })],
  })
  const [u, v] = await users(2, 'order-center')
  const order = async (token: string) =>
    (await stack.ok('coupon', { action: 'center' }, token)).items
      .map((c: any) => c.couponId)
      .filter((id: string) => id === first || id === second)
  const before = await order(u!.token)
  expect(before).toEqual([second, first])
  await stack.ok('coupon', { action: 'claim', couponId: second }, u!.token) // 已领取 for u
  await stack.ok('coupon', { action: 'claim', couponId: first }, v!.token) // 已抢光 for everyone
  expect(await order(u!.token)).toEqual(before)
  const items = (await stack.ok('coupon', { action: 'center' }, u!.token)).items
  expect(items.find((c: any) => c.couponId === second)).toMatchObject({
    state: 'claimed',
    claimed: 1,
    mine: 1,
    scope: 'products',
    scopeIds: [expect.any(String)],
  })
  expect(items.find((c: any) => c.couponId === first)).toMatchObject({ state: 'sold_out', scopeIds: [] })
  const mine = (await stack.ok('coupon', { action: 'mine' }, u!.token)).items
  expect(mine[0]).toMatchObject({ couponId: second, scope: 'products', scopeIds: items.find((c: any) => c.couponId === second).scopeIds })
})
