/**
 * Membership's points and tiers on a real PostgreSQL: earned pending on payment, settled past the
 * refund window, spent at checkout by one conditional update (raced), given back on cancel and
 * refund, reversed or clawed back by a refund, expired once a year; tiers up on payment, down on
 * refund and as orders leave the 365 days; member prices only for members, only on regular lines.
 */
import { pointsEarned, shopYearStart } from '../../cloud/core/member/member.rules'
import { daysFromNow, jobsFor, type Jobs } from '../helpers/jobs'
import pg from 'pg'
import { createFlashSale, createProduct, key, payOrder, postNotify, saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

const env = { REFUND_WINDOW_DAYS: '7', JOB_INTERVAL_MS: '3600000' }
let stack: Stack
let jobs: Jobs
let admin: string
/** ¥100, 会员价 ¥88. */
let teaP: string
/** ¥200, no member price. */
let teaQ: string

const RULES = { silverFen: 20_100, goldFen: 50_000, pointsPermille: { normal: 1000, silver: 1500, gold: 2000 }, pointsMaxPercent: 50 }

beforeAll(async () => {
  stack = await startStack({ env })
  jobs = await jobsFor(stack, env)
  admin = (await stack.login('admin')).token
  teaP = await createProduct(stack, admin, { priceFen: 10_000, memberPriceFen: 8800, stock: 1000 })
  teaQ = await createProduct(stack, admin, { priceFen: 20_000, stock: 1000 })
  expect((await stack.ok('admin', { action: 'saveMemberSettings', ...RULES }, admin)).rules).toEqual(RULES)
}, 90_000)
afterAll(async () => {
  await jobs?.close()
  await stack?.stop()
})

/** A shopper who joined by phone, through member.joinByPhone and the sandbox's verified number (one each). */
let phones = 0
async function member(openid: string) {
  const who = await stack.login(openid)
  const phone = `1380013${String(++phones).padStart(4, '0')}`
  await stack.ok('member', { action: 'joinByPhone', code: `sandbox-phone:${phone}` }, who.token)
  return { ...who, masked: `${phone.slice(0, 3)}****${phone.slice(7)}` }
}

const status = (token: string) => stack.ok('member', { action: 'status' }, token)

async function buy(token: string, productId: string, qty = 1, pointsUsed?: number) {
  return stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty }], idempotencyKey: key(), ...(pointsUsed ? { pointsUsed } : {}) },
    token,
  )
}

async function buyAndPay(token: string, productId: string, qty = 1, pointsUsed?: number) {
  const o = await buy(token, productId, qty, pointsUsed)
  expect((await payOrder(stack, token, o.orderId)).status).toBe(200)
  return o
}

/** The ledger's sums against the balance row: they must always agree. */
async function ledgerAgrees(userId: string) {
  const [l] = await sql(
    stack,
    `SELECT COALESCE(sum(points) FILTER (WHERE kind IN ('settle', 'clawback', 'spend', 'return', 'expire')), 0)::int AS available,
       COALESCE(sum(points) FILTER (WHERE kind IN ('earn', 'reverse')), 0)::int - COALESCE(sum(points) FILTER (WHERE kind = 'settle'), 0)::int AS pending
     FROM points_ledger WHERE user_id = $1`,
    [userId],
  )
  const [b] = await sql(stack, `SELECT available, pending FROM member_points WHERE user_id = $1`, [userId])
  expect(b ?? { available: 0, pending: 0 }).toEqual(l)
  return l as { available: number; pending: number }
}

const refund = (orderId: string) => stack.ok('admin', { action: 'refund', orderId, reason: '协商退款', restock: true }, admin)

test('earn pending → settle → spend → cancel returns → refund reverses or claws back; tiers up on payment and down on refund', async () => {
  const m = await member('points-life')
  expect(await status(m.token)).toMatchObject({ isMember: true, phone: m.masked, tier: 'normal', spendFen: 0 })

  // ¥88 at the member price: 88 points pending, at the normal rate.
  const first = await buyAndPay(m.token, teaP)
  expect(first.payableFen).toBe(8800)
  expect(await status(m.token)).toMatchObject({ tier: 'normal', spendFen: 8800, points: { available: 0, pending: 88 } })
  // Two more: ¥264 in 365 days makes 银卡, and this order earns at 银卡's rate (×1.5).
  await buyAndPay(m.token, teaP, 2)
  const silver = await status(m.token)
  expect(silver).toMatchObject({ tier: 'silver', spendFen: 26_400, nextTier: { tier: 'gold', needFen: 23_600 } })
  expect(silver.points).toEqual({ available: 0, pending: 88 + pointsEarned(17_600, 1500) })
  expect(pointsEarned(17_600, 1500)).toBe(264)

  // Within the refund window the job leaves them pending; past it they are available.
  await jobs.runAt(daysFromNow(6))
  expect((await status(m.token)).points).toEqual({ available: 0, pending: 352 })
  await jobs.runAt(daysFromNow(8))
  expect((await status(m.token)).points).toEqual({ available: 352, pending: 0 })
  await ledgerAgrees(m.user.id)

  // The preview shows the breakdown and what can be used; the order takes the points.
  const preview = await stack.ok('order', { action: 'preview', items: [{ productId: teaP, qty: 1 }], pointsUsed: 300 }, m.token)
  expect(preview).toMatchObject({
    isMember: true,
    goodsFen: 8800,
    memberSavingFen: 1200,
    couponFen: 0,
    pointsUsed: 300,
    pointsFen: 300,
    payableFen: 8500,
    points: { available: 352, maxUsable: 300 },
  })
  expect(preview.lines[0]).toMatchObject({ regularPriceFen: 10_000, unitPriceFen: 8800, discountFen: 300 })
  const spent = await buy(m.token, teaP, 1, 300)
  expect(spent.payableFen).toBe(8500)
  expect((await status(m.token)).points.available).toBe(52)
  const { order } = await stack.ok('order', { action: 'get', orderId: spent.orderId }, m.token)
  expect(order).toMatchObject({ goodsFen: 8800, couponFen: 0, pointsUsed: 300, pointsFen: 300, discountFen: 300, memberSavingFen: 1200 })
  expect(order.items[0]).toMatchObject({ unitPriceFen: 8800, discountFen: 300 })

  // Cancel gives them back, once however often tapped.
  await Promise.all([1, 2, 3].map(() => stack.call('order', { action: 'cancel', orderId: spent.orderId }, m.token)))
  expect((await status(m.token)).points.available).toBe(352)

  // Spent on an order that is paid and then refunded: the points come back, what the order earned is reversed (pending).
  const paidWithPoints = await buyAndPay(m.token, teaP, 1, 300)
  expect(await status(m.token)).toMatchObject({ spendFen: 26_400 + 8500, points: { available: 52, pending: pointsEarned(8500, 1500) } })
  await refund(paidWithPoints.orderId)
  expect(await status(m.token)).toMatchObject({ tier: 'silver', spendFen: 26_400, points: { available: 352, pending: 0 } })

  // A settled order refunded: its points are clawed back from available; the spend falls below 银卡.
  await refund(first.orderId)
  expect(await status(m.token)).toMatchObject({ tier: 'normal', spendFen: 17_600, points: { available: 352 - 88, pending: 0 } })
  const kinds = (await sql(stack, `SELECT kind, points FROM points_ledger WHERE user_id = $1 ORDER BY id`, [m.user.id])).map(
    (r) => `${r.kind}:${r.points}`,
  )
  expect(kinds).toEqual([
    'earn:88',
    'earn:264',
    'settle:88',
    'settle:264',
    'spend:-300',
    'return:300',
    'spend:-300',
    'earn:127',
    'reverse:-127',
    'return:300',
    'clawback:-88',
  ])
  await ledgerAgrees(m.user.id)

  // member.points pages the ledger newest first.
  const page = await stack.ok('member', { action: 'points' }, m.token)
  expect(page.items.map((e: any) => e.kind)).toEqual([
    'clawback',
    'return',
    'reverse',
    'earn',
    'spend',
    'return',
    'spend',
    'settle',
    'settle',
    'earn',
    'earn',
  ])
  expect(page.items[0]).toMatchObject({ points: -88, orderId: first.orderId })
  expect(page.nextCursor).toBeNull()
}, 90_000)

/** A member with `points` available, earned on ¥(points) of teaQ at the normal rate and settled. */
async function memberWithPoints(openid: string) {
  const m = await member(openid)
  await buyAndPay(m.token, teaQ)
  await jobs.runAt(daysFromNow(8))
  expect((await status(m.token)).points).toEqual({ available: 200, pending: 0 })
  return m
}

test('POINTS SPENT TWICE AT ONCE: two orders racing for the whole balance make one; copies of one key make one order and one spend', async () => {
  const m = await memberWithPoints('points-racer')
  const race = await Promise.all(
    [0, 1].map(() =>
      stack.call('order', { action: 'create', items: [{ productId: teaQ, qty: 1 }], idempotencyKey: key(), pointsUsed: 200 }, m.token),
    ),
  )
  expect(race.map((r) => r.status).sort()).toEqual([200, 409])
  expect(race.find((r) => r.status === 409)!.body).toMatchObject({ ok: false, error: { code: 'POINTS_INSUFFICIENT' } })
  expect((await status(m.token)).points.available).toBe(0)
  expect(await ledgerAgrees(m.user.id)).toEqual({ available: 0, pending: 0 })
  // One order holds the points; the refused one left no order behind.
  const [{ n }] = await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE user_id = $1 AND points_used > 0`, [m.user.id])
  expect(n).toBe(1)

  // Cancelled, the points are back; then five copies of one key: one order, one spend.
  const winner = (race.find((r) => r.status === 200)!.body as any).data
  await stack.ok('order', { action: 'cancel', orderId: winner.orderId }, m.token)
  expect((await status(m.token)).points.available).toBe(200)
  const k = key()
  const copies = await Promise.all(
    Array.from({ length: 5 }, () =>
      stack.ok('order', { action: 'create', items: [{ productId: teaQ, qty: 1 }], idempotencyKey: k, pointsUsed: 200 }, m.token),
    ),
  )
  expect(new Set(copies.map((c) => c.orderId)).size).toBe(1)
  const [{ spends }] = await sql(stack, `SELECT count(*)::int AS spends FROM points_ledger WHERE order_id = $1 AND kind = 'spend'`, [
    copies[0].orderId,
  ])
  expect(spends).toBe(1)
  expect((await status(m.token)).points.available).toBe(0)
  // The same key asking for other points is another request.
  expect(
    (await stack.call('order', { action: 'create', items: [{ productId: teaQ, qty: 1 }], idempotencyKey: k, pointsUsed: 100 }, m.token))
      .body,
  ).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_KEY_REUSED' } })
  await stack.ok('order', { action: 'cancel', orderId: copies[0].orderId }, m.token)

  // Ten orders of 100 points each at once on a balance of 200: exactly two.
  const ten = await Promise.all(
    Array.from({ length: 10 }, () =>
      stack.call('order', { action: 'create', items: [{ productId: teaQ, qty: 1 }], idempotencyKey: key(), pointsUsed: 100 }, m.token),
    ),
  )
  expect(ten.filter((r) => r.status === 200)).toHaveLength(2)
  for (const r of ten.filter((x) => x.status !== 200)) expect((r.body as any).error.code).toMatch(/POINTS_INSUFFICIENT|RATE_LIMITED/)
  expect(await ledgerAgrees(m.user.id)).toEqual({ available: 0, pending: 0 })
}, 90_000)

test("a member's payments racing each other all count toward the tier; a refund racing the settle run is reversed or clawed back, never both", async () => {
  const m = await member('points-payments-race')
  // Four orders of ¥88 placed, then paid at once: ¥352 of spend, each earning at the tier it reached.
  const orders = []
  for (let i = 0; i < 4; i++) orders.push(await buy(m.token, teaP))
  await Promise.all(orders.map((o) => payOrder(stack, m.token, o.orderId)))
  const paid = await status(m.token)
  expect(paid).toMatchObject({ spendFen: 35_200, tier: 'silver' })
  const [{ earned }] = await sql(stack, `SELECT sum(points)::int AS earned FROM points_ledger WHERE user_id = $1 AND kind = 'earn'`, [
    m.user.id,
  ])
  expect(paid.points.pending).toBe(earned)
  await ledgerAgrees(m.user.id)

  // Past the window, the settle run and refunds of two of the orders race: each refund either
  // reverses its pending points or claws back settled ones; the ledger and the balance stay equal.
  await Promise.all([jobs.runAt(daysFromNow(8)), refund(orders[0]!.orderId), refund(orders[1]!.orderId)])
  const takeBacks = await sql(
    stack,
    `SELECT order_id, kind FROM points_ledger WHERE order_id = ANY($1) AND kind IN ('reverse', 'clawback', 'settle') ORDER BY order_id, kind`,
    [[orders[0]!.orderId, orders[1]!.orderId]],
  )
  for (const id of [orders[0]!.orderId, orders[1]!.orderId]) {
    const kinds = takeBacks.filter((r) => r.order_id === id).map((r) => r.kind)
    expect([['reverse'], ['clawback', 'settle']]).toContainEqual(kinds)
  }
  await jobs.runAt(daysFromNow(8))
  const after = await ledgerAgrees(m.user.id)
  expect(after.pending).toBe(0)
  expect(await status(m.token)).toMatchObject({ spendFen: 17_600, tier: 'normal' })
}, 90_000)

test('member price only for members and only on regular lines; flash and play orders take no points', async () => {
  const outsider = await stack.login('points-outsider')
  const p = await stack.ok('order', { action: 'preview', items: [{ productId: teaP, qty: 2 }] }, outsider.token)
  expect(p).toMatchObject({
    isMember: false,
    goodsFen: 20_000,
    memberSavingFen: 0,
    payableFen: 20_000,
    points: { available: 0, maxUsable: 0 },
  })
  expect(p.lines[0]).toMatchObject({ regularPriceFen: 10_000, unitPriceFen: 10_000 })
  const o = await buyAndPay(outsider.token, teaP, 1)
  expect(o.payableFen).toBe(10_000)
  // A non-member earns nothing and has no tier.
  expect(await status(outsider.token)).toMatchObject({ isMember: false, tier: null, points: { available: 0, pending: 0 } })

  const m = await member('points-flash')
  const { flashSaleId, productId } = await createFlashSale(stack, admin, { audience: 'all' })
  await sql(stack, `UPDATE skus SET member_price_fen = 50 WHERE product_id = $1`, [productId])
  const flash = await stack.ok('order', { action: 'preview', items: [{ productId, qty: 1 }], flashSaleId }, m.token)
  expect(flash).toMatchObject({ goodsFen: 100, memberSavingFen: 0, payableFen: 100, points: { maxUsable: 0 } })
  const refused = await stack.call(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], flashSaleId, idempotencyKey: key(), pointsUsed: 100 },
    m.token,
  )
  expect(refused.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '秒杀和活动订单不能使用积分' } })
  // Off the sale, the same SKU is a regular line: the member price applies.
  expect((await stack.ok('order', { action: 'preview', items: [{ productId, qty: 1 }] }, m.token)).goodsFen).toBe(50)
}, 60_000)

test('bad input is refused with a clear code and changes nothing', async () => {
  const m = await memberWithPoints('points-bad-input')
  const before = await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE user_id = $1`, [m.user.id])
  const ask = (pointsUsed: unknown, productId = teaQ) =>
    stack.call('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), pointsUsed }, m.token)
  for (const bad of [150, -100, 1.5, '200', 1e12]) {
    expect((await ask(bad)).body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  }
  // Above the cap: ¥88 at the member price takes at most ¥44 of points.
  const capped = await ask(4500, teaP)
  expect(capped.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '本单最多可用 4400 积分' } })
  expect((capped.body as any).error.details).toEqual([{ path: 'pointsUsed', message: '本单最多可用 4400 积分' }])
  // Above the balance (200): refused in the preview and the order alike.
  expect((await ask(300)).body).toMatchObject({ ok: false, error: { code: 'POINTS_INSUFFICIENT' } })
  expect(
    (await stack.call('order', { action: 'preview', items: [{ productId: teaQ, qty: 1 }], pointsUsed: 300 }, m.token)).body,
  ).toMatchObject({ ok: false, error: { code: 'POINTS_INSUFFICIENT' } })
  expect(await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE user_id = $1`, [m.user.id])).toEqual(before)
  expect(await ledgerAgrees(m.user.id)).toEqual({ available: 200, pending: 0 })
  // A ledger cursor that can't be read.
  expect((await stack.call('member', { action: 'points', cursor: 'not-a-cursor' }, m.token)).body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: '分页参数无效' },
  })
  // Settings the console could get wrong.
  expect((await stack.call('admin', { action: 'saveMemberSettings', ...RULES, goldFen: 10_000 }, admin)).body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED' },
  })
  expect((await stack.call('admin', { action: 'saveMemberSettings', ...RULES, pointsMaxPercent: 120 }, admin)).body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED' },
  })
  expect((await stack.ok('admin', { action: 'memberSettings' }, admin)).rules).toEqual(RULES)
}, 60_000)

test('the console: stats and the member list', async () => {
  const stats = await stack.ok('admin', { action: 'memberStats' }, admin)
  expect(stats.members).toBeGreaterThanOrEqual(4)
  expect(stats.byWay.phone).toBe(stats.members)
  expect(stats.memberPriceOrders).toBeGreaterThanOrEqual(1)
  const [sums] = await sql(stack, `SELECT COALESCE(sum(available), 0)::int AS a, COALESCE(sum(pending), 0)::int AS p FROM member_points`)
  expect(stats.points).toMatchObject({ available: sums.a, pending: sums.p })
  const list = await stack.ok('admin', { action: 'memberList', tier: 'normal' }, admin)
  expect(list.items.length).toBeGreaterThan(0)
  for (const row of list.items) expect(row.tier).toBe('normal')
  expect(list.items[0].phone).toMatch(/^138\*{4}\d{4}$/)
  const shopper = await stack.login('points-not-staff')
  expect((await stack.call('admin', { action: 'memberStats' }, shopper.token)).status).toBe(403)
})

test('a HUGE BALANCE earns, settles and pays fine (64-bit sums), and another member settles in the same run; rates are bounded', async () => {
  const whale = await member('points-whale')
  await buyAndPay(whale.token, teaQ)
  // A balance near 2^31 points (a big member at a high rate over the years), pending and available.
  const BIG = 2_147_483_400
  await sql(stack, `UPDATE member_points SET available = available + $2, pending = pending + $2 WHERE user_id = $1`, [whale.user.id, BIG])
  const innocent = await member('points-innocent')
  await buyAndPay(innocent.token, teaQ)
  // Another payment adds past 2^31 − 1 to pending: the notify still answers (a 32-bit column failed it for good).
  await buyAndPay(whale.token, teaQ)
  // (¥400 in all reaches 银卡: the second order earns ×1.5, 300.)
  expect((await status(whale.token)).points).toEqual({ available: BIG, pending: BIG + 500 })
  // The settle run moves both orders past 2^31 − 1 available, and settles the other member's in the same run.
  await jobs.runAt(daysFromNow(8))
  expect((await status(whale.token)).points).toEqual({ available: BIG + 500, pending: BIG })
  expect((await status(innocent.token)).points).toEqual({ available: 200, pending: 0 })
  // The big balance pays points like any other.
  const paidWithPoints = await buyAndPay(whale.token, teaQ, 1, 100)
  expect((await stack.ok('order', { action: 'get', orderId: paidWithPoints.orderId }, whale.token)).order.pointsUsed).toBe(100)
  expect((await status(whale.token)).points.available).toBe(BIG + 400)
  await sql(stack, `UPDATE member_points SET available = available - $2, pending = pending - $2 WHERE user_id = $1`, [whale.user.id, BIG])
  expect(await ledgerAgrees(whale.user.id)).toMatchObject({ available: 400 })

  // Rates: at most 10 points per ¥1 (10,000 ‰), rising with the tier; each refusal names its field.
  const refused = async (fields: Record<string, unknown>, path: string, message: string) => {
    const r = await stack.call('admin', { action: 'saveMemberSettings', ...RULES, ...fields }, admin)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message } })
    expect((r.body as any).error.details).toContainEqual({ path, message })
  }
  const rates = (normal: number, silver: number, gold: number) => ({ pointsPermille: { normal, silver, gold } })
  await refused(rates(100_000, 100_000, 100_000), 'pointsPermille.normal', '普通会员积分倍率最多每 1 元 10 积分（10000‰）')
  await refused(rates(1000, 1500, 10_001), 'pointsPermille.gold', '金卡积分倍率最多每 1 元 10 积分（10000‰）')
  await refused(rates(5000, 10, 0), 'pointsPermille.silver', '银卡积分倍率不能低于普通会员')
  await refused(rates(1000, 2000, 1500), 'pointsPermille.gold', '金卡积分倍率不能低于银卡')
  await refused(rates(-1, 1500, 2000), 'pointsPermille.normal', '普通会员积分倍率不能小于 0')
  await refused({ pointsMaxPercent: 120 }, 'pointsMaxPercent', '积分抵扣比例不能超过 100%')
  await refused({ silverFen: 0 }, 'silverFen', '银卡门槛至少 0.01 元')
  // The top rate is accepted; the schema holds the same bounds.
  expect(
    (await stack.ok('admin', { action: 'saveMemberSettings', ...RULES, ...rates(10_000, 10_000, 10_000) }, admin)).rules,
  ).toMatchObject(rates(10_000, 10_000, 10_000))
  await expect(sql(stack, `UPDATE member_settings SET permille_gold = 20000`)).rejects.toThrow(/check constraint/)
  await expect(sql(stack, `UPDATE member_settings SET permille_normal = 10000, permille_silver = 10, permille_gold = 10`)).rejects.toThrow(
    /check constraint/,
  )
  expect((await stack.ok('admin', { action: 'saveMemberSettings', ...RULES }, admin)).rules).toEqual(RULES)
}, 90_000)

test("one member's balance row the settle run can't write does not hold up the others' settling, nor the jobs", async () => {
  const troubled = await member('points-settle-troubled')
  const fine = await member('points-settle-fine')
  await buyAndPay(troubled.token, teaQ)
  await buyAndPay(fine.token, teaQ)
  // A balance row out of step with its ledger: settling would take pending below zero (its CHECK).
  await sql(stack, `UPDATE member_points SET pending = 0 WHERE user_id = $1`, [troubled.user.id])
  const run = await jobs.runAt(daysFromNow(8))
  expect(run.settled).toBeDefined()
  expect((await status(fine.token)).points).toEqual({ available: 200, pending: 0 })
  expect(await sql(stack, `SELECT kind FROM points_ledger WHERE user_id = $1 ORDER BY id`, [troubled.user.id])).toEqual([{ kind: 'earn' }])
  // Repaired, the next run settles it.
  await sql(stack, `UPDATE member_points SET pending = 200 WHERE user_id = $1`, [troubled.user.id])
  await jobs.runAt(daysFromNow(8))
  expect(await ledgerAgrees(troubled.user.id)).toEqual({ available: 200, pending: 0 })
}, 60_000)

test('a settings save locks no member (a payment holding a member row does not block it); tiers follow new thresholds at once', async () => {
  const m = await member('points-save-nolock')
  await buyAndPay(m.token, teaQ)
  expect(await status(m.token)).toMatchObject({ spendFen: 20_000, tier: 'normal' })
  // Another transaction holds the member's row (as a notify paying their order does).
  const holder = new pg.Client({ connectionString: stack.databaseUrl })
  await holder.connect()
  let saved: unknown
  try {
    await holder.query('BEGIN')
    await holder.query('SELECT 1 FROM memberships WHERE user_id = $1 FOR UPDATE', [m.user.id])
    const save = stack.ok('admin', { action: 'saveMemberSettings', ...RULES, silverFen: 20_000 }, admin)
    saved = await Promise.race([save, new Promise((resolve) => setTimeout(() => resolve('blocked'), 3_000))])
  } finally {
    await holder.query('ROLLBACK')
    await holder.end()
  }
  expect(saved).toMatchObject({ rules: { silverFen: 20_000 } })
  // The member is 银卡 at once, on their page, in the list and in the stats.
  expect(await status(m.token)).toMatchObject({ spendFen: 20_000, tier: 'silver' })
  const list = await stack.ok('admin', { action: 'memberList', tier: 'silver' }, admin)
  expect(list.items.map((r: any) => r.userId)).toContain(m.user.id)
  for (const row of list.items) expect(row.tier).toBe('silver')
  // The next order earns at 银卡's rate (the tier read from the spend under the thresholds).
  const o = await buyAndPay(m.token, teaQ)
  const [earn] = await sql(stack, `SELECT points FROM points_ledger WHERE order_id = $1 AND kind = 'earn'`, [o.orderId])
  expect(earn.points).toBe(300)
  // The stored tier column follows in the jobs' recompute (the save made it due again today).
  const stored = async () => (await sql(stack, `SELECT tier FROM memberships WHERE user_id = $1`, [m.user.id]))[0].tier
  expect(await stored()).toBe('silver')
  await stack.ok('admin', { action: 'saveMemberSettings', ...RULES, silverFen: 45_000 }, admin)
  expect(await status(m.token)).toMatchObject({ spendFen: 40_000, tier: 'normal' })
  await jobs.runAt(new Date())
  expect(await stored()).toBe('normal')
  expect((await stack.ok('admin', { action: 'saveMemberSettings', ...RULES }, admin)).rules).toEqual(RULES)
  expect((await status(m.token)).tier).toBe('silver')
}, 60_000)

test('points are earned at the tier held when the order was paid: refunding the order that lifted the tier does not re-rate later ones', async () => {
  const m = await member('points-rerate')
  // A: ¥200 + ¥200 = ¥400 → 银卡 (the order that reaches it earns at its rate: 600); B: ¥88 at 银卡 → 132.
  const a = await buyAndPay(m.token, teaQ, 2)
  const b = await buyAndPay(m.token, teaP)
  expect(await status(m.token)).toMatchObject({ tier: 'silver', spendFen: 48_800, points: { pending: 732, available: 0 } })
  await refund(a.orderId)
  // The tier falls with the refund; B keeps what it earned at 银卡.
  expect(await status(m.token)).toMatchObject({ tier: 'normal', spendFen: 8_800, points: { pending: 132, available: 0 } })
  const rows = await sql(stack, `SELECT kind, points FROM points_ledger WHERE order_id = $1 ORDER BY id`, [b.orderId])
  expect(rows).toEqual([{ kind: 'earn', points: 132 }])
  await jobs.runAt(daysFromNow(8))
  expect((await status(m.token)).points).toEqual({ available: 132, pending: 0 })
  expect(await ledgerAgrees(m.user.id)).toEqual({ available: 132, pending: 0 })
}, 60_000)

test('a late group payment (refunded at once, the group ended) leaves the buyer’s spend and tier where they were', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 5900, stock: 100 })
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createGroupCampaign',
      productId,
      groupPriceFen: 2900,
      groupSize: 3,
      groupHours: 1,
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      onExpiry: 'refund',
    },
    admin,
  )
  const leader = await member('points-group-leader')
  const joiner = await member('points-group-joiner')
  const [la, ja] = await Promise.all([saveAddress(stack, leader.token), saveAddress(stack, joiner.token)])
  // The joiner's ¥200 + ¥88 → 银卡 (¥288 ≥ ¥201).
  await buyAndPay(joiner.token, teaQ)
  await buyAndPay(joiner.token, teaP)
  const before = await status(joiner.token)
  expect(before).toMatchObject({ spendFen: 28_800, tier: 'silver' })
  const opened = await stack.ok('group', { action: 'open', campaignId, addressId: la.address.id, idempotencyKey: key() }, leader.token)
  await payOrder(stack, leader.token, opened.orderId)
  const joined = await stack.ok(
    'group',
    { action: 'join', groupId: opened.groupId, addressId: ja.address.id, idempotencyKey: key() },
    joiner.token,
  )
  // The joiner asks to pay in time; the group's time runs out before the money arrives.
  const { payment } = await stack.ok('order', { action: 'pay', orderId: joined.orderId }, joiner.token)
  await sql(stack, `UPDATE groups SET expires_at = now() - interval '1 second' WHERE id = $1`, [opened.groupId])
  expect((await postNotify(payment.notifyUrl, payment.body)).answer).toMatchObject({ message: 'refunded_group_ended' })
  const [{ status: orderStatus }] = await sql(stack, `SELECT status FROM orders WHERE id = $1`, [joined.orderId])
  expect(orderStatus).toBe('refunded')
  // Counted and refunded: the spend and the tier as they were, and no points kept for it.
  expect(await status(joiner.token)).toMatchObject({ spendFen: 28_800, tier: 'silver', points: before.points })
  expect(await ledgerAgrees(joiner.user.id)).toEqual(before.points)
}, 60_000)

test('the same product on two lines counts toward the 99-per-item limit', async () => {
  const m = await member('points-99')
  const items = (a: number, b: number) => [
    { productId: teaP, qty: a },
    { productId: teaP, qty: b },
  ]
  for (const action of ['preview', 'create']) {
    const r = await stack.call('order', { action, items: items(99, 1), idempotencyKey: key() }, m.token)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '每件商品最多购买 99 件' } })
    expect((r.body as any).error.details).toEqual([{ path: 'items.1.qty', message: '每件商品最多购买 99 件' }])
  }
  expect(await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE user_id = $1`, [m.user.id])).toEqual([{ n: 0 }])
  // 98 + 1 is 99 of one item: one line.
  expect((await stack.ok('order', { action: 'preview', items: items(98, 1) }, m.token)).lines).toEqual([
    expect.objectContaining({ qty: 99 }),
  ])
})

test('a member never pays more than a non-member: a coupon threshold met only at regular prices prices the regular way', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 10_000, memberPriceFen: 9_000, stock: 100 })
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '满95减30', kind: 'fixed', valueFen: 3_000, thresholdFen: 9_500, stock: 100, perUserLimit: 1 },
    admin,
  )
  const m = await member('points-threshold-m')
  const n = await stack.login('points-threshold-n')
  await stack.ok('admin', { action: 'issueCoupon', couponId, userIds: [m.user.id, n.user.id], grantKey: key() }, admin)
  const held = async (userId: string) =>
    (await sql(stack, `SELECT id FROM user_coupons WHERE coupon_id = $1 AND user_id = $2`, [couponId, userId]))[0].id as string
  const ask = async (token: string, userId: string) =>
    stack.ok('order', { action: 'preview', items: [{ productId, qty: 1 }], userCouponId: await held(userId) }, token)
  expect(await ask(n.token, n.user.id)).toMatchObject({ payableFen: 7_000, couponFen: 3_000, memberSavingFen: 0 })
  expect(await ask(m.token, m.user.id)).toMatchObject({ payableFen: 7_000, couponFen: 3_000, memberSavingFen: 0 })
  // The checkout's coupon list offers it to the member, saving ¥20 on the member-priced ¥90, and picks it.
  const offered = await stack.ok('coupon', { action: 'forCheckout', items: [{ productId, qty: 1 }] }, m.token)
  expect(offered.bestId).toBe(await held(m.user.id))
  expect(offered.items[0]).toMatchObject({ userCouponId: await held(m.user.id), savingFen: 2_000, unusable: null })
  // Placed and paid the same way; without the coupon the member price still applies.
  const placed = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], userCouponId: await held(m.user.id), idempotencyKey: key() },
    m.token,
  )
  expect(placed.payableFen).toBe(7_000)
  expect((await stack.ok('order', { action: 'preview', items: [{ productId, qty: 1 }] }, m.token)).payableFen).toBe(9_000)
})

test('yearly expiry: what is left of a year’s points, once per member and year, even run twice at once; tiers fall as orders age out', async () => {
  const m = await memberWithPoints('points-expiry')
  // Spend 100 of the 200 on a paid order (its own 100 points settle later than the first year's).
  await buyAndPay(m.token, teaQ, 1, 100)
  // ¥200 + ¥199 in 365 days: 银卡.
  expect((await status(m.token)).tier).toBe('silver')
  const [{ settled }] = await sql(stack, `SELECT min(at) AS settled FROM points_ledger WHERE user_id = $1 AND kind = 'settle'`, [m.user.id])
  const year = Number(new Date(new Date(settled).getTime() + 8 * 3_600_000).getUTCFullYear())

  // The next year, nothing expires yet (a year's points last to the end of the next).
  await jobs.runAt(new Date(shopYearStart(year + 1).getTime() + 3_600_000))
  expect(await sql(stack, `SELECT * FROM points_ledger WHERE user_id = $1 AND kind = 'expire'`, [m.user.id])).toEqual([])
  const before = await ledgerAgrees(m.user.id)

  // At the turn into year + 2: the year's 200 less the 100 spent expire, once, however often the jobs run.
  const turn = new Date(shopYearStart(year + 2).getTime() + 3_600_000)
  await Promise.all([jobs.runAt(turn), jobs.runAt(turn)])
  await jobs.runAt(new Date(turn.getTime() + 86_400_000))
  const expired = await sql(stack, `SELECT points, period FROM points_ledger WHERE user_id = $1 AND kind = 'expire'`, [m.user.id])
  expect(expired).toEqual([{ points: -100, period: year }])
  expect(await ledgerAgrees(m.user.id)).toEqual({ available: before.available - 100, pending: 0 })
  // Every order is past 365 days now: the daily recompute brought spends down.
  expect(await status(m.token)).toMatchObject({ spendFen: 0, tier: 'normal' })
  const [{ stale }] = await sql(stack, `SELECT count(*)::int AS stale FROM memberships WHERE spend_fen > 0`)
  expect(stale).toBe(0)
}, 120_000)

test('the catalog shows member prices to everyone; the console sets them below the price, and a price change must keep them below', async () => {
  // The expiry test's jobs ran years ahead and pruned the sessions: sign in again.
  admin = (await stack.login('admin')).token
  const shopper = await stack.login('points-browser')
  const { product } = await stack.ok('catalog', { action: 'get', productId: teaP }, shopper.token)
  expect(product.memberPriceFen).toBe(8800)
  expect(product.skus[0]).toMatchObject({ priceFen: 10_000, memberPriceFen: 8800 })
  const card = (await stack.ok('catalog', { action: 'list' }, shopper.token)).items.find((p: any) => p.id === teaP)
  expect(card).toMatchObject({ priceFen: 10_000, memberPriceFen: 8800 })

  // A product with specs: each SKU its own member price; the card shows the lowest.
  const specs = [{ name: '规格', values: ['50g', '100g'] }]
  const productId = await createProduct(stack, admin, {
    specGroups: specs,
    skus: [
      { specs: { 规格: '50g' }, priceFen: 5000, memberPriceFen: 4500, stock: 10 },
      { specs: { 规格: '100g' }, priceFen: 9000, stock: 10 },
    ],
  })
  expect((await stack.ok('catalog', { action: 'get', productId }, shopper.token)).product.memberPriceFen).toBe(4500)
  const save = (skus: unknown[]) => stack.call('admin', { action: 'saveSkus', productId, specGroups: specs, skus }, admin)
  // A price lowered to or below the member price is refused, and nothing changes.
  const refused = await save([
    { specs: { 规格: '50g' }, priceFen: 4500, memberPriceFen: 4500 },
    { specs: { 规格: '100g' }, priceFen: 9000 },
  ])
  expect(refused.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '会员价须低于售价' } })
  expect((await sql(stack, `SELECT price_fen, member_price_fen FROM skus WHERE product_id = $1 ORDER BY sort`, [productId]))[0]).toEqual({
    price_fen: 5000,
    member_price_fen: 4500,
  })
  // Saved with a new price and member price; left out, the member price is cleared (the matrix is saved whole).
  const saved = await save([
    { specs: { 规格: '50g' }, priceFen: 4000 },
    { specs: { 规格: '100g' }, priceFen: 9000, memberPriceFen: 8000 },
  ])
  expect(saved.status).toBe(200)
  expect((saved.body as any).data.product.skus.map((k: any) => k.memberPriceFen)).toEqual([null, 8000])
  // The schema holds the rule too.
  await expect(
    sql(stack, `UPDATE skus SET price_fen = 8000 WHERE product_id = $1 AND member_price_fen = 8000`, [productId]),
  ).rejects.toThrow(/skus_member_price_below/)
  expect(
    (await stack.call('admin', { action: 'createProduct', title: '错价茶', priceFen: 100, memberPriceFen: 100, stock: 1 }, admin)).body,
  ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
})

test('EXPIRY CATCHES RETURNED POINTS: a points order refunded after the year’s turn gives back points that expire at the next daily run (once, even run twice)', async () => {
  admin = (await stack.login('admin')).token
  const m = await memberWithPoints('points-parked')
  // 200 more: ¥200 at 银卡? No: ¥400 spend → 银卡 (the order reaching it earns ×1.5): 300 more.
  await buyAndPay(m.token, teaQ)
  await jobs.runAt(daysFromNow(8))
  const { available } = (await status(m.token)).points
  expect(available).toBe(500)
  const [{ settled }] = await sql(stack, `SELECT max(at) AS settled FROM points_ledger WHERE user_id = $1 AND kind = 'settle'`, [m.user.id])
  const year = Number(new Date(new Date(settled).getTime() + 8 * 3_600_000).getUTCFullYear())
  // A paid order holds 200 of them across the year's turn.
  const held = await buyAndPay(m.token, teaQ, 1, 200)
  const turn = new Date(shopYearStart(year + 2).getTime() + 3_600_000)
  await jobs.runAt(turn)
  const expires = () =>
    sql(stack, `SELECT points, period FROM points_ledger WHERE user_id = $1 AND kind = 'expire' ORDER BY id`, [m.user.id])
  expect(await expires()).toEqual([{ points: -300, period: year }])
  // Refunded in January: the 200 come back, and the next daily run expires them (run twice at once: once).
  admin = (await stack.login('admin')).token
  await refund(held.orderId)
  const next = new Date(turn.getTime() + 86_400_000)
  await Promise.all([jobs.runAt(next), jobs.runAt(next)])
  await jobs.runAt(new Date(next.getTime() + 60_000))
  expect(await expires()).toEqual([
    { points: -300, period: year },
    { points: -200, period: year },
  ])
  await jobs.runAt(new Date(next.getTime() + 86_400_000))
  expect(await expires()).toHaveLength(2)
  // The refunded order's own points (settled at the turn) were clawed back; nothing old is left.
  expect(await ledgerAgrees(m.user.id)).toEqual({ available: 0, pending: 0 })
}, 120_000)

test('EXPIRY AND CLAWBACKS: a refund taking back last year’s points does not shield older ones', async () => {
  admin = (await stack.login('admin')).token
  const m = await memberWithPoints('points-clawback-shield')
  const [{ settled }] = await sql(stack, `SELECT max(at) AS settled FROM points_ledger WHERE user_id = $1 AND kind = 'settle'`, [m.user.id])
  const year = Number(new Date(new Date(settled).getTime() + 8 * 3_600_000).getUTCFullYear())
  // A second order, settled the next year, then refunded by the merchant: its own points are clawed back.
  const second = await buyAndPay(m.token, teaQ)
  await jobs.runAt(new Date(shopYearStart(year + 1).getTime() + 3_600_000))
  admin = (await stack.login('admin')).token
  await refund(second.orderId)
  const kinds = await sql(stack, `SELECT kind FROM points_ledger WHERE order_id = $1 ORDER BY id`, [second.orderId])
  expect(kinds.map((k) => k.kind)).toEqual(['earn', 'settle', 'clawback'])
  // At the turn into year + 2 the first year's 200 expire in full.
  await jobs.runAt(new Date(shopYearStart(year + 2).getTime() + 3_600_000))
  expect(await sql(stack, `SELECT points, period FROM points_ledger WHERE user_id = $1 AND kind = 'expire'`, [m.user.id])).toEqual([
    { points: -200, period: year },
  ])
  expect(await ledgerAgrees(m.user.id)).toEqual({ available: 0, pending: 0 })
}, 120_000)

test('EXPIRY CATCHES PARKED POINTS: points held by an unpaid order at the year’s turn expire at the next daily run once its cancel gives them back', async () => {
  admin = (await stack.login('admin')).token
  const m = await memberWithPoints('points-parked-cancel')
  await buyAndPay(m.token, teaQ)
  await jobs.runAt(daysFromNow(8))
  expect((await status(m.token)).points.available).toBe(500)
  const [{ settled }] = await sql(stack, `SELECT max(at) AS settled FROM points_ledger WHERE user_id = $1 AND kind = 'settle'`, [m.user.id])
  const year = Number(new Date(new Date(settled).getTime() + 8 * 3_600_000).getUTCFullYear())
  // Placed just before the turn, unpaid across it (its pay window reaches past the turn's run).
  const parked = await buy(m.token, teaQ, 1, 200)
  const turn = new Date(shopYearStart(year + 2).getTime() + 3_600_000)
  await sql(stack, `UPDATE orders SET pay_deadline = $2 WHERE id = $1`, [parked.orderId, new Date(turn.getTime() + 1_800_000)])
  await jobs.runAt(turn)
  const expires = () =>
    sql(stack, `SELECT points, period FROM points_ledger WHERE user_id = $1 AND kind = 'expire' ORDER BY id`, [m.user.id])
  expect(await expires()).toEqual([{ points: -300, period: year }])
  // Cancelled after the run: the 200 come back, and expire at the next daily run.
  const again = await stack.login('points-parked-cancel')
  await stack.ok('order', { action: 'cancel', orderId: parked.orderId }, again.token)
  expect((await status(again.token)).points.available).toBe(200)
  await jobs.runAt(new Date(turn.getTime() + 86_400_000))
  expect(await expires()).toEqual([
    { points: -300, period: year },
    { points: -200, period: year },
  ])
  expect(await ledgerAgrees(m.user.id)).toEqual({ available: 0, pending: 0 })
}, 120_000)
