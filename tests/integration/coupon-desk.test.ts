/**
 * The coupon desk (营销 › 优惠券): figures exact after claims, grants, paid, refunded and cancelled
 * orders; pause and end as the shoppers meet them, raced against claims; safe edits; confirmable
 * warnings and the idempotency key of createCoupon; roles.
 */
import pg from 'pg'
import { handler as adminHandler } from '../../cloud/functions/admin'
import type { StaffAccess } from '../../cloud/functions/define'
import { createProduct, key, payOrder, sql, untilBlockedBy } from '../helpers/mall'
import { liveKit } from '../helpers/live'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string
const tokens: Record<string, string> = {}
const kit = liveKit(
  () => stack,
  () => admin,
)
const HOUR = 3_600_000
const DAY = 24 * HOUR

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  // The guide (导购) role's staff rows come with the sharers' work (its migration); its refusal is the access map's, checked below.
  for (const role of ['operator', 'service', 'anchor']) {
    await stack.ok('admin', { action: 'setStaff', openid: `desk-${role}`, role }, admin)
    tokens[role] = (await stack.login(`desk-${role}`)).token
  }
}, 90_000)
afterAll(() => stack?.stop())

const base = { action: 'createCoupon', title: '满20减5', kind: 'fixed', valueFen: 500, thresholdFen: 2000, stock: 100, perUserLimit: 1 }
const coupon = async (fields: Record<string, unknown> = {}) => (await stack.ok('admin', { ...base, ...fields }, admin)).couponId as string
const desk = async (couponId: string) => (await stack.ok('admin', { action: 'coupon', couponId }, admin)).coupon
const refusal = (r: { body: any }) => (r.body.ok ? null : r.body.error)
const users = (n: number, prefix: string) => kit.users(n, prefix)
const couponCount = async () => (await sql(stack, 'SELECT count(*)::int AS n FROM coupons'))[0].n as number
const row = async (couponId: string) =>
  (await sql(stack, 'SELECT title, stock, claimed, per_user_limit, valid_to, status FROM coupons WHERE id = $1', [couponId]))[0]

test('figures: claims, grants, paid orders count; a refunded, a cancelled and an unpaid order do not', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 3000, stock: 50 })
  const couponId = await coupon({ stock: 10 })
  const [a, b, c, d] = await users(4, 'fig')
  const held: Record<string, string> = {}
  for (const [name, u] of Object.entries({ a, b, c, d }))
    held[name] = (await stack.ok('coupon', { action: 'claim', couponId }, u!.token)).userCouponId
  // Two grants: the post-live coupon to a room's two viewers.
  const roomId = await kit.room('live')
  const [e, f] = await users(2, 'fig-viewer')
  for (const u of [e!, f!]) await stack.ok('live', { action: 'enter', roomId }, u.token)
  expect(await stack.ok('admin', { action: 'issueRoomCoupon', roomId, couponId }, admin)).toEqual({ issued: 2, already: 0 })
  const eHeld = (await stack.ok('coupon', { action: 'mine' }, e!.token)).items.find((x: any) => x.couponId === couponId).userCouponId

  const order = (u: { token: string }, userCouponId: string) =>
    stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), userCouponId }, u.token)
  const paidA = await order(a!, held.a!)
  await payOrder(stack, a!.token, paidA.orderId)
  const refundedB = await order(b!, held.b!)
  await payOrder(stack, b!.token, refundedB.orderId)
  await stack.ok('admin', { action: 'refund', orderId: refundedB.orderId, reason: '协商退款' }, admin)
  const cancelledC = await order(c!, held.c!)
  await stack.ok('order', { action: 'cancel', orderId: cancelledC.orderId }, c!.token)
  await order(d!, held.d!) // unpaid: the coupon is locked, not used
  const paidE = await order(e!, eHeld)
  await payOrder(stack, e!.token, paidE.orderId)
  expect(paidA.payableFen).toBe(2500)

  const view = await desk(couponId)
  expect(view.figures).toEqual({ claimed: 4, granted: 2, used: 2, gmvFen: 5000, discountFen: 1000 })
  expect(view).toMatchObject({ ruleText: '满20减5', status: 'active', stock: 10, room: null })
  // The list says the same.
  const { items } = await stack.ok('admin', { action: 'coupons' }, admin)
  expect(items.find((x: any) => x.couponId === couponId).figures).toEqual(view.figures)
  // B's refunded coupon came back and pays again: one more use, counted once.
  const again = await order(b!, held.b!)
  await payOrder(stack, b!.token, again.orderId)
  expect((await desk(couponId)).figures).toEqual({ claimed: 4, granted: 2, used: 3, gmvFen: 7500, discountFen: 1500 })
}, 60_000)

test('rule text as the shopper reads it, and a room-only coupon with its room', async () => {
  const roomId = await kit.room('upcoming', { title: '周五岩茶夜' })
  const ids = {
    fixed: await coupon({ valueFen: 1000, thresholdFen: 9900 }),
    free: await coupon({ valueFen: 500, thresholdFen: 0 }),
    capped: await coupon({ kind: 'percent', valueFen: undefined, percentOff: 15, maxOffFen: 3000, thresholdFen: 0 }),
    room: await coupon({ roomId }),
  }
  expect((await desk(ids.fixed)).ruleText).toBe('满99减10')
  expect((await desk(ids.free)).ruleText).toBe('无门槛减5')
  expect((await desk(ids.capped)).ruleText).toBe('8.5折 最多减30')
  expect((await desk(ids.room)).room).toEqual({ roomId, title: '周五岩茶夜' })
  const roomOnly = await stack.ok('admin', { action: 'coupons', roomOnly: true }, admin)
  expect(roomOnly.items.map((x: any) => x.couponId)).toContain(ids.room)
  expect(roomOnly.items.every((x: any) => x.room !== null)).toBe(true)
  const shop = await stack.ok('admin', { action: 'coupons', roomOnly: false }, admin)
  expect(shop.items.map((x: any) => x.couponId)).not.toContain(ids.room)
})

test('pause: the claim center drops it, claims are COUPON_PAUSED, held coupons stay usable; resume brings it back', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 3000, stock: 10 })
  const couponId = await coupon({ stock: 10 })
  const [holder, late] = await users(2, 'pause')
  const { userCouponId } = await stack.ok('coupon', { action: 'claim', couponId }, holder!.token)
  const paused = await stack.ok('admin', { action: 'setCouponStatus', couponId, status: 'paused' }, admin)
  expect(paused.coupon.status).toBe('paused')
  const center = await stack.ok('coupon', { action: 'center' }, late!.token)
  expect(center.items.map((x: any) => x.couponId)).not.toContain(couponId)
  const r = await stack.call('coupon', { action: 'claim', couponId }, late!.token)
  expect(r.status).toBe(409)
  expect(refusal(r)).toMatchObject({ code: 'COUPON_PAUSED', message: '优惠券暂停发放，请稍后再来' })
  expect((await row(couponId)).claimed).toBe(1)
  const o = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), userCouponId },
    holder!.token,
  )
  expect(o.payableFen).toBe(2500)
  expect((await stack.ok('admin', { action: 'coupons', status: 'paused' }, admin)).items.map((x: any) => x.couponId)).toContain(couponId)
  await stack.ok('admin', { action: 'setCouponStatus', couponId, status: 'active' }, admin)
  await stack.ok('coupon', { action: 'claim', couponId }, late!.token)
  expect((await row(couponId)).claimed).toBe(2)
})

test('a live room shows a dropped coupon 暂停发放 while paused and 已结束 once ended; neither can be dropped again', async () => {
  const roomId = await kit.room('live')
  const couponId = await coupon()
  const other = await coupon()
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  const [viewer] = await users(1, 'room-pause')
  const stateIn = async () =>
    (await stack.ok('live', { action: 'enter', roomId }, viewer!.token)).room.coupons.find((x: any) => x.couponId === couponId).state
  expect(await stateIn()).toBe('claimable')
  await stack.ok('admin', { action: 'setCouponStatus', couponId, status: 'paused' }, admin)
  expect(await stateIn()).toBe('paused')
  await stack.ok('admin', { action: 'setCouponStatus', couponId, status: 'ended' }, admin)
  expect(await stateIn()).toBe('ended')
  await stack.ok('admin', { action: 'setCouponStatus', couponId: other, status: 'paused' }, admin)
  expect(refusal(await stack.call('admin', { action: 'dropCoupon', roomId, couponId: other }, admin))).toMatchObject({
    code: 'COUPON_PAUSED',
  })
  expect(refusal(await stack.call('admin', { action: 'dropCoupon', roomId, couponId }, admin))).toMatchObject({ code: 'COUPON_ENDED' })
})

test('pause raced against a crowd of claims: what was claimed never passes the stock, and every claim after the pause is refused', async () => {
  const couponId = await coupon({ stock: 40 })
  const crowd = await users(80, 'pause-race')
  const claims = crowd.map((u) => stack.call('coupon', { action: 'claim', couponId }, u.token))
  const pause = stack.call('admin', { action: 'setCouponStatus', couponId, status: 'paused' }, admin)
  const [results, paused] = await Promise.all([Promise.all(claims), pause])
  expect(paused.status).toBe(200)
  const ok = results.filter((r) => r.status === 200).length
  for (const r of results.filter((x) => x.status !== 200)) expect(['COUPON_PAUSED', 'COUPON_SOLD_OUT']).toContain(refusal(r).code)
  const after = await row(couponId)
  expect(after.claimed).toBe(ok)
  expect(after.claimed).toBeLessThanOrEqual(40)
  expect((await sql(stack, 'SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1', [couponId]))[0].n).toBe(ok)
  // After the pause committed nobody gets one.
  const more = await Promise.all(crowd.slice(0, 20).map((u) => stack.call('coupon', { action: 'claim', couponId }, u.token)))
  for (const r of more) expect(['COUPON_PAUSED', 'COUPON_LIMIT_REACHED']).toContain(refusal(r).code)
  expect((await row(couponId)).claimed).toBe(ok)
}, 90_000)

test('a claim that reaches the stock update after the pause committed is refused COUPON_PAUSED', async () => {
  const couponId = await coupon({ stock: 10 })
  const [u] = await users(1, 'pause-commit')
  // Hold the template's row as admin.setCouponStatus's update holds it, the claim waiting behind it.
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  try {
    await db.query('BEGIN')
    await db.query(`UPDATE coupons SET status = 'paused' WHERE id = $1 AND status <> 'ended'`, [couponId])
    const claim = stack.call('coupon', { action: 'claim', couponId }, u!.token)
    await untilBlockedBy(stack, db)
    await db.query('COMMIT')
    const r = await claim
    expect(refusal(r)).toMatchObject({ code: 'COUPON_PAUSED' })
  } finally {
    await db.end()
  }
  expect(await row(couponId)).toMatchObject({ claimed: 0, status: 'paused' })
  expect((await sql(stack, 'SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1', [couponId]))[0].n).toBe(0)
})

test('ended: never resumed nor paused, claims are COUPON_ENDED, held coupons stay usable; a coupon past its window reads ended', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 3000, stock: 10 })
  const couponId = await coupon()
  const [holder, late] = await users(2, 'ended')
  const { userCouponId } = await stack.ok('coupon', { action: 'claim', couponId }, holder!.token)
  expect((await stack.ok('admin', { action: 'setCouponStatus', couponId, status: 'ended' }, admin)).coupon.status).toBe('ended')
  // Ending again changes nothing and is no error.
  expect((await stack.ok('admin', { action: 'setCouponStatus', couponId, status: 'ended' }, admin)).coupon.status).toBe('ended')
  for (const status of ['active', 'paused']) {
    const r = await stack.call('admin', { action: 'setCouponStatus', couponId, status }, admin)
    expect(r.status).toBe(409)
    expect(refusal(r)).toMatchObject({ code: 'COUPON_ENDED' })
  }
  expect((await row(couponId)).status).toBe('ended')
  expect(refusal(await stack.call('coupon', { action: 'claim', couponId }, late!.token))).toMatchObject({ code: 'COUPON_ENDED' })
  expect((await stack.ok('coupon', { action: 'center' }, late!.token)).items.map((x: any) => x.couponId)).not.toContain(couponId)
  // No edit reopens it; a new name is all it takes.
  const extend = await stack.call(
    'admin',
    { action: 'updateCoupon', couponId, validTo: new Date(Date.now() + 30 * DAY).toISOString() },
    admin,
  )
  expect(refusal(extend)).toMatchObject({ code: 'COUPON_ENDED' })
  expect((await stack.ok('admin', { action: 'updateCoupon', couponId, title: '已结束的券' }, admin)).coupon.title).toBe('已结束的券')
  const o = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), userCouponId },
    holder!.token,
  )
  expect(o.payableFen).toBe(2500)

  const lapsed = await coupon({
    validFrom: new Date(Date.now() - 2 * DAY).toISOString(),
    validTo: new Date(Date.now() + 40 * 60_000).toISOString(),
  })
  await sql(stack, `UPDATE coupons SET valid_to = now() - interval '1 minute' WHERE id = $1`, [lapsed])
  expect((await desk(lapsed)).status).toBe('ended')
  expect((await stack.ok('admin', { action: 'coupons', status: 'ended' }, admin)).items.map((x: any) => x.couponId)).toContain(lapsed)
  expect((await stack.ok('admin', { action: 'coupons', status: 'active' }, admin)).items.map((x: any) => x.couponId)).not.toContain(lapsed)
  expect(refusal(await stack.call('admin', { action: 'setCouponStatus', couponId: lapsed, status: 'paused' }, admin))).toMatchObject({
    code: 'COUPON_ENDED',
  })
})

test('safe edits: name, stock, per-user limit, window end; the stock never below what was claimed, nothing changed on refusal', async () => {
  const couponId = await coupon({ stock: 20 })
  const crowd = await users(10, 'edit')
  for (const u of crowd) await stack.ok('coupon', { action: 'claim', couponId }, u.token)
  const before = await row(couponId)
  const low = await stack.call('admin', { action: 'updateCoupon', couponId, title: '改名', stock: 9 }, admin)
  expect(low.status).toBe(400)
  expect(refusal(low)).toMatchObject({ code: 'VALIDATION_FAILED', message: '库存不能少于已领取的 10 张' })
  expect(await row(couponId)).toEqual(before)
  const validFrom = (await desk(couponId)).validFrom
  for (const [input, message] of [
    [{ validTo: validFrom }, '结束时间须晚于开始时间'],
    [{ validTo: new Date(Date.parse(validFrom) + 1).toISOString() }, '结束时间须晚于现在；要立即停止发放请用「结束」'],
  ] as const) {
    const r = await stack.call('admin', { action: 'updateCoupon', couponId, ...input }, admin)
    expect(refusal(r)).toMatchObject({ code: 'VALIDATION_FAILED', message, details: [{ path: 'validTo', message }] })
  }
  expect(await row(couponId)).toEqual(before)
  // Terms are not editable: a field that can't change is refused (not taken as an empty edit), and nothing changes.
  const audits = async () => (await sql(stack, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.updateCoupon'`))[0].n
  const auditedBefore = await audits()
  for (const input of [{ valueFen: 1 }, { kind: 'percent' }, { valueFen: 9000, title: '改名' }]) {
    expect(refusal(await stack.call('admin', { action: 'updateCoupon', couponId, ...input }, admin))).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '优惠内容创建后不能修改，请新建优惠券',
    })
  }
  expect((await desk(couponId)).valueFen).toBe(500)
  expect(await row(couponId)).toEqual(before)
  expect(await audits()).toBe(auditedBefore)
  expect(refusal(await stack.call('admin', { action: 'updateCoupon', couponId: 'cp_nowhere', title: 'x' }, admin))).toMatchObject({
    code: 'NOT_FOUND',
  })
  const validTo = new Date(Date.now() + 10 * DAY).toISOString()
  const { coupon: edited } = await stack.ok(
    'admin',
    { action: 'updateCoupon', couponId, title: '新名字', stock: 10, perUserLimit: 2, validTo },
    admin,
  )
  expect(edited).toMatchObject({ title: '新名字', stock: 10, perUserLimit: 2, validTo, ruleText: '满20减5' })
  expect(refusal(await stack.call('coupon', { action: 'claim', couponId }, crowd[0]!.token))).toMatchObject({ code: 'COUPON_SOLD_OUT' })
})

test('an edit that looks like a slip asks first (CONFIRM_REQUIRED) and changes nothing until confirmed', async () => {
  const couponId = await coupon({ stock: 10 })
  const before = await row(couponId)
  const soon = new Date(Date.now() + 10 * 60_000).toISOString()
  const r = await stack.call('admin', { action: 'updateCoupon', couponId, stock: 50_000, validTo: soon }, admin)
  expect(r.status).toBe(409)
  expect(refusal(r).code).toBe('CONFIRM_REQUIRED')
  expect(
    refusal(r)
      .details.warnings.map((w: any) => w.code)
      .sort(),
  ).toEqual(['ENDS_SOON', 'STOCK_JUMP'])
  expect(await row(couponId)).toEqual(before)
  const ok = await stack.ok(
    'admin',
    { action: 'updateCoupon', couponId, stock: 50_000, validTo: soon, confirm: ['ENDS_SOON', 'STOCK_JUMP'] },
    admin,
  )
  expect(ok.coupon).toMatchObject({ stock: 50_000, validTo: soon })
})

test('stock edits raced against claims: the stock never ends below what was claimed', async () => {
  const couponId = await coupon({ stock: 60 })
  const crowd = await users(50, 'edit-race')
  const [claims, edit] = await Promise.all([
    Promise.all(crowd.map((u) => stack.call('coupon', { action: 'claim', couponId }, u.token))),
    (async () => {
      await new Promise((r) => setTimeout(r, 30))
      return stack.call('admin', { action: 'updateCoupon', couponId, stock: 25 }, admin)
    })(),
  ])
  const ok = claims.filter((r) => r.status === 200).length
  const after = await row(couponId)
  expect(after.claimed).toBe(ok)
  expect(after.claimed).toBeLessThanOrEqual(after.stock)
  if (edit.status === 200) {
    expect(after.stock).toBe(25)
    expect(ok).toBeLessThanOrEqual(25)
  } else {
    expect(refusal(edit)).toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(after.stock).toBe(60)
  }
  for (const r of claims.filter((x) => x.status !== 200)) expect(refusal(r).code).toBe('COUPON_SOLD_OUT')
}, 60_000)

test('createCoupon asks before a percent coupon without a cap; nothing is created until the warning is confirmed', async () => {
  const percent = { ...base, title: '全场85折', kind: 'percent', valueFen: undefined, percentOff: 15, thresholdFen: 0 }
  const n = await couponCount()
  const r = await stack.call('admin', percent, admin)
  expect(r.status).toBe(409)
  expect(refusal(r)).toMatchObject({ code: 'CONFIRM_REQUIRED', details: { warnings: [{ code: 'PERCENT_NO_CAP' }] } })
  expect(refusal(r).details.warnings[0].message).toMatch(/最多减/)
  expect(await couponCount()).toBe(n)
  // Other likely slips: a large 无门槛 coupon, a window ending within half an hour; confirming one of two is not enough.
  const slips = { ...base, valueFen: 8000, thresholdFen: 0, validTo: new Date(Date.now() + 20 * 60_000).toISOString() }
  const two = await stack.call('admin', slips, admin)
  expect(
    refusal(two)
      .details.warnings.map((w: any) => w.code)
      .sort(),
  ).toEqual(['ENDS_SOON', 'LARGE_NO_THRESHOLD'])
  expect(refusal(await stack.call('admin', { ...slips, confirm: ['ENDS_SOON'] }, admin)).details.warnings.map((w: any) => w.code)).toEqual([
    'LARGE_NO_THRESHOLD',
  ])
  const over = await stack.call(
    'admin',
    { ...base, validFrom: new Date(Date.now() - 2 * DAY).toISOString(), validTo: new Date(Date.now() - DAY).toISOString() },
    admin,
  )
  expect(refusal(over).details.warnings).toEqual([{ code: 'ENDS_SOON', message: '领取时间已经结束：顾客领不到这张券' }])
  expect(await couponCount()).toBe(n)
  const { couponId } = await stack.ok('admin', { ...percent, confirm: ['PERCENT_NO_CAP'] }, admin)
  expect((await desk(couponId)).ruleText).toBe('8.5折')
  expect(await couponCount()).toBe(n + 1)
  // A room-only coupon is bounded by the anchor's limits instead and asks nothing.
  const roomId = await kit.room('upcoming')
  await stack.ok('admin', { ...percent, roomId }, admin)
})

test('createCoupon with the same idempotency key, raced: one coupon, every copy answers it', async () => {
  const n = await couponCount()
  const idempotencyKey = key()
  const results = await Promise.all(
    Array.from({ length: 8 }, () => stack.call('admin', { ...base, title: '重试券', idempotencyKey }, admin)),
  )
  expect(results.map((r) => r.status)).toEqual(Array(8).fill(200))
  expect(new Set(results.map((r) => (r.body as any).data.couponId)).size).toBe(1)
  expect(await couponCount()).toBe(n + 1)
  // A percent coupon confirmed, then retried without the confirmation (the first answer was lost): the same coupon.
  const percentKey = key()
  const percent = {
    ...base,
    title: '重试折扣券',
    kind: 'percent',
    valueFen: undefined,
    percentOff: 10,
    thresholdFen: 0,
    idempotencyKey: percentKey,
  }
  const first = await stack.ok('admin', { ...percent, confirm: ['PERCENT_NO_CAP'] }, admin)
  expect(await stack.ok('admin', percent, admin)).toEqual(first)
  expect(await couponCount()).toBe(n + 2)
  // The same key with another request is refused and creates nothing.
  const reused = await stack.call('admin', { ...base, title: '别的券', idempotencyKey }, admin)
  expect(refusal(reused)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' })
  expect(await couponCount()).toBe(n + 2)
})

test('bad input is refused with its field and changes nothing', async () => {
  const n = await couponCount()
  const bad: Array<Record<string, unknown>> = [
    { ...base, title: '' },
    { ...base, kind: 'percent', valueFen: undefined },
    { ...base, valueFen: 3000, thresholdFen: 2000 },
    { ...base, stock: -1 },
    { ...base, perUserLimit: 0 },
    { ...base, validFrom: new Date(Date.now() + 2 * DAY).toISOString(), validTo: new Date(Date.now() + DAY).toISOString() },
  ]
  for (const input of bad) {
    const r = await stack.call('admin', input, admin)
    expect(r.status).toBe(400)
    expect(refusal(r).code).toBe('VALIDATION_FAILED')
    expect(refusal(r).message).toMatch(/[\u4e00-\u9fff]/)
  }
  expect(await couponCount()).toBe(n)
  const couponId = await coupon()
  const before = await row(couponId)
  for (const input of [{ stock: -5 }, { perUserLimit: 0 }, { title: '' }, { validTo: 'tomorrow' }]) {
    expect(refusal(await stack.call('admin', { action: 'updateCoupon', couponId, ...input }, admin)).code).toBe('VALIDATION_FAILED')
  }
  expect(await row(couponId)).toEqual(before)
  expect(refusal(await stack.call('admin', { action: 'setCouponStatus', couponId, status: 'gone' }, admin)).code).toBe('VALIDATION_FAILED')
  expect(refusal(await stack.call('admin', { action: 'coupons', cursor: 'not-a-cursor' }, admin)).code).toBe('VALIDATION_FAILED')
  expect(refusal(await stack.call('admin', { action: 'coupon', couponId: 'cp_nowhere' }, admin)).code).toBe('NOT_FOUND')
})

test('the list pages by cursor, newest first, without repeats', async () => {
  for (let i = 0; i < 21; i++) await coupon({ title: `分页券${i}` })
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page: any = await stack.ok('admin', { action: 'coupons', ...(cursor ? { cursor } : {}) }, admin)
    seen.push(...page.items.map((x: any) => x.couponId))
    cursor = page.nextCursor
  } while (cursor)
  expect(new Set(seen).size).toBe(seen.length)
  expect(seen.length).toBe(await couponCount())
  const created = (await sql(stack, 'SELECT id FROM coupons ORDER BY seq DESC')).map((r) => r.id)
  expect(seen).toEqual(created)
})

test('roles: the operator runs the desk; service, anchor (and guide, by the access map) are refused and change nothing', async () => {
  const couponId = await coupon()
  await stack.ok('admin', { action: 'coupons' }, tokens.operator)
  await stack.ok('admin', { action: 'coupon', couponId }, tokens.operator)
  await stack.ok('admin', { action: 'updateCoupon', couponId, title: '运营改名' }, tokens.operator)
  await stack.ok('admin', { action: 'setCouponStatus', couponId, status: 'paused' }, tokens.operator)
  await stack.ok('admin', { ...base, title: '运营新券' }, tokens.operator)
  const before = await row(couponId)
  for (const name of ['coupons', 'coupon', 'updateCoupon', 'setCouponStatus']) {
    expect((adminHandler.actions[name]!.access as StaffAccess).staff).toEqual(['operator'])
  }
  for (const role of ['service', 'anchor']) {
    for (const input of [
      { action: 'coupons' },
      { action: 'coupon', couponId },
      { action: 'updateCoupon', couponId, title: '越权' },
      { action: 'setCouponStatus', couponId, status: 'active' },
    ]) {
      const r = await stack.call('admin', input, tokens[role])
      expect([role, input.action, r.status]).toEqual([role, input.action, 403])
    }
  }
  // The anchor creates room-only coupons only (auth/roles.ts); service and guide none.
  for (const role of ['service', 'anchor']) expect((await stack.call('admin', base, tokens[role])).status).toBe(403)
  expect(await row(couponId)).toEqual(before)
  // Writes are audited.
  const audit = await sql(stack, `SELECT action FROM audit_log WHERE target = $1 ORDER BY at`, [`coupon:${couponId}`])
  expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['admin.updateCoupon', 'admin.setCouponStatus']))
})

test('createCoupon dates: a start a year ahead without an end runs a year from its start; impossible windows are refused, never a 500', async () => {
  const start = new Date(Date.now() + 540 * DAY)
  const couponId = await coupon({ validFrom: start.toISOString() })
  const made = await desk(couponId)
  expect(made.validFrom).toBe(start.toISOString())
  expect(Date.parse(made.validTo) - start.getTime()).toBe(365 * DAY)
  const n = await couponCount()
  const past = new Date(Date.now() - DAY).toISOString()
  for (const [input, path, message] of [
    [{ validTo: past, confirm: ['ENDS_SOON'] }, 'validTo', '结束时间须晚于现在（未填开始时间时从现在开始）'],
    [{ validTo: past }, 'validTo', '结束时间须晚于现在（未填开始时间时从现在开始）'],
    [{ validFrom: start.toISOString(), validTo: start.toISOString() }, 'validTo', '结束时间须晚于开始时间'],
    [{ validFrom: '9999-06-01T00:00:00.000Z' }, 'validFrom', '领取时间太远，请选择 9999 年以前的日期'],
  ] as const) {
    const r = await stack.call('admin', { ...base, ...input }, admin)
    expect(r.status).toBeLessThan(500)
    expect(refusal(r)).toMatchObject({ code: 'VALIDATION_FAILED', message, details: [{ path, message }] })
  }
  // A window wholly in the past is legal but a mistake: asked about, never a 500.
  const r = await stack.call('admin', { ...base, validFrom: new Date(Date.now() - 3 * DAY).toISOString(), validTo: past }, admin)
  expect(refusal(r)).toMatchObject({ code: 'CONFIRM_REQUIRED' })
  // Far but writable dates work.
  await coupon({ validFrom: '9998-01-01T00:00:00.000Z', validTo: '9999-01-01T00:00:00.000Z' })
  expect(await couponCount()).toBe(n + 1)
})

test('createCoupon for products or categories that do not exist is refused; known ones are taken', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 3000, stock: 5 })
  const [cat] = await sql(stack, 'SELECT id FROM categories LIMIT 1')
  const n = await couponCount()
  const nowhere = 'p_nowhere'
  for (const [scope, scopeIds, message] of [
    ['products', [productId, nowhere], '所选商品不存在，请重新选择'],
    ['categories', [nowhere], '所选分类不存在，请重新选择'],
    ['categories', [productId], '所选分类不存在，请重新选择'],
  ] as const) {
    const r = await stack.call('admin', { ...base, scope, scopeIds }, admin)
    expect(refusal(r)).toMatchObject({ code: 'VALIDATION_FAILED', message, details: [{ path: 'scopeIds', message }] })
  }
  expect(await couponCount()).toBe(n)
  const id = await coupon({ scope: 'products', scopeIds: [productId] })
  expect((await desk(id)).scopeIds).toEqual([productId])
  if (cat) expect((await desk(await coupon({ scope: 'categories', scopeIds: [cat.id] }))).scope).toBe('categories')
})
