/**
 * Grants of a coupon to a segment or a list (admin.issueCoupon): one coupon per customer and key
 * however often and concurrently sent; 到券提醒 only to those who allowed it, one allowance per
 * message, never two messages of one grant; the grant's figures after orders; bad input changes nothing.
 */
import pg from 'pg'
import { membersRepo } from '../../cloud/db/repos/members.repo'
import { couponStatusLockKey } from '../../cloud/db/sql'
import { blocking, createProduct, key, payOrder, saveAddress, sql, untilBlockedBy } from '../helpers/mall'
import { order } from '../helpers/rfm'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string
let operator: string
let service: string
/** c0…c4: one order of 100 fen 10 days ago each (一般挽留); vip: 2 orders, 1,000 fen, yesterday (重要价值). */
let c: Array<{ token: string; user: any }>
let vip: { token: string; user: any }

beforeAll(async () => {
  stack = await startStack({ env: { JOB_INTERVAL_MS: '200' } })
  admin = (await stack.login('admin')).token
  await stack.ok('admin', { action: 'setStaff', openid: 'op-1', role: 'operator' }, admin)
  await stack.ok('admin', { action: 'setStaff', openid: 'svc-1', role: 'service' }, admin)
  operator = (await stack.login('op-1')).token
  service = (await stack.login('svc-1')).token
  c = []
  for (let i = 0; i < 5; i++) c.push(await stack.login(`grant-c${i}`, `顾客${i}`))
  vip = await stack.login('grant-vip', '大客户')
  for (const u of c) await order(stack, u.user.id, 100, 10, 'completed')
  await order(stack, vip.user.id, 400, 1, 'completed')
  await order(stack, vip.user.id, 600, 3, 'completed')
}, 120_000)
afterAll(() => stack?.stop())

const coupon = async (fields: Record<string, unknown> = {}) =>
  (
    await stack.ok(
      'admin',
      {
        action: 'createCoupon',
        title: '回购券',
        kind: 'fixed',
        valueFen: 500,
        thresholdFen: 0,
        stock: 1,
        perUserLimit: 1,
        validDays: 7,
        ...fields,
      },
      admin,
    )
  ).couponId as string
const held = async (couponId: string) =>
  Object.fromEntries(
    (await sql(stack, 'SELECT user_id, count(*)::int AS n FROM user_coupons WHERE coupon_id = $1 GROUP BY user_id', [couponId])).map(
      (r) => [r.user_id, r.n],
    ),
  )
const allowance = async (userId: string) =>
  (await sql(stack, `SELECT remaining FROM message_allowances WHERE user_id = $1 AND kind = 'coupon_arrival'`, [userId]))[0]?.remaining ?? 0
const messages = async (openid: string) =>
  (await sql(stack, `SELECT data FROM sandbox_messages WHERE openid = $1 AND template = 'coupon_arrival' ORDER BY id`, [openid])).map(
    (r) => r.data,
  )
const queued = async () => await sql(stack, `SELECT user_id, dedupe_key FROM notification_outbox WHERE kind = 'coupon_arrival'`)
const until = async (check: () => Promise<boolean>) => {
  const deadline = Date.now() + 10_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}
async function grantsOf(couponId: string) {
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  try {
    return await membersRepo(db).grants(couponId)
  } finally {
    await db.end()
  }
}

test('the segments the grants go to', async () => {
  const s = await stack.ok('admin', { action: 'segments' }, service)
  expect(s.counts.general_retain).toBe(5)
  expect(s.counts.important_value).toBe(1)
})

test('user.allowMessages counts accepts, also raced', async () => {
  const twice = await Promise.all([1, 2].map(() => stack.ok('user', { action: 'allowMessages', kind: 'coupon_arrival' }, c[0]!.token)))
  expect(twice.map((r) => r.allowed).sort()).toEqual([1, 2])
  expect((await stack.ok('user', { action: 'allowMessages', kind: 'coupon_arrival' }, c[1]!.token)).allowed).toBe(1)
  const bad = await stack.call('user', { action: 'allowMessages', kind: 'spam' }, c[2]!.token)
  expect((bad.body as any).error.code).toBe('VALIDATION_FAILED')
  expect(await allowance(c[2]!.user.id)).toBe(0)
  expect((await stack.call('user', { action: 'allowMessages', kind: 'coupon_arrival' })).status).toBe(401)
})

test('a segment grant raced 8 times with one key gives one coupon each and one message to each who allowed', async () => {
  const couponId = await coupon({ title: '老客回购券' })
  const answers = await Promise.all(
    Array.from({ length: 8 }, () =>
      stack.ok('admin', { action: 'issueCoupon', couponId, segment: 'general_retain', grantKey: 'k1' }, operator),
    ),
  )
  expect(answers.reduce((n, r) => n + r.issued, 0)).toBe(5)
  for (const r of answers) expect(r.issued + r.already).toBe(5)
  expect(await held(couponId)).toEqual(Object.fromEntries(c.map((u) => [u.user.id, 1])))
  // c0 had 2 allowances, c1 one: one message each, one allowance taken each
  expect((await queued()).map((q) => q.user_id).sort()).toEqual([c[0]!.user.id, c[1]!.user.id].sort())
  expect(await allowance(c[0]!.user.id)).toBe(1)
  expect(await allowance(c[1]!.user.id)).toBe(0)
  await until(async () => (await messages('grant-c0')).length === 1 && (await messages('grant-c1')).length === 1)
  expect((await messages('grant-c0'))[0]).toMatchObject({ title: '老客回购券', rule: '无门槛减5' })
  await new Promise((r) => setTimeout(r, 600)) // several more job runs
  expect(await messages('grant-c0')).toHaveLength(1)
  expect(await messages('grant-c2')).toHaveLength(0)

  // the same key again, as a list overlapping the segment: only the newcomer gets one, without a message
  const list = await stack.ok(
    'admin',
    { action: 'issueCoupon', couponId, userIds: [c[3]!.user.id, c[4]!.user.id, vip.user.id], grantKey: 'k1' },
    operator,
  )
  expect(list).toEqual({ issued: 1, already: 2 })
  // another key is another grant: c0 gets a second coupon and a second message (its last allowance)
  const again = await stack.ok(
    'admin',
    { action: 'issueCoupon', couponId, userIds: [c[0]!.user.id, vip.user.id, vip.user.id], grantKey: 'k2' },
    admin,
  )
  expect(again).toEqual({ issued: 2, already: 0 })
  expect(await held(couponId)).toEqual({ ...Object.fromEntries(c.map((u) => [u.user.id, 1])), [c[0]!.user.id]: 2, [vip.user.id]: 2 })
  expect(await allowance(c[0]!.user.id)).toBe(0)
  await until(async () => (await messages('grant-c0')).length === 2)
  expect(await messages('grant-vip')).toHaveLength(0)

  const grants = await grantsOf(couponId)
  expect(grants.map((g) => [g.grantKey, g.segment, g.issued, g.notified, g.used])).toEqual([
    ['k2', null, 2, 1, 0],
    ['k1', 'general_retain', 6, 2, 0],
  ])
})

test('two different grants racing for one allowance send one message', async () => {
  await stack.ok('user', { action: 'allowMessages', kind: 'coupon_arrival' }, c[2]!.token)
  const couponId = await coupon({ title: '抢提醒券' })
  const rs = await Promise.all(
    ['k3', 'k4', 'k5'].map((grantKey) =>
      stack.ok('admin', { action: 'issueCoupon', couponId, userIds: [c[2]!.user.id], grantKey }, operator),
    ),
  )
  expect(rs.map((r) => r.issued)).toEqual([1, 1, 1])
  expect(await allowance(c[2]!.user.id)).toBe(0)
  const outbox = (await queued()).filter((q) => q.user_id === c[2]!.user.id)
  expect(outbox).toHaveLength(1)
  const grants = await grantsOf(couponId)
  expect(grants.reduce((n, g) => n + g.notified, 0)).toBe(1)
})

test("the grant's figures count the coupons used on paid orders, not refunded ones", async () => {
  const couponId = await coupon({
    title: '用券统计券',
    validDays: undefined,
    validFrom: new Date(Date.now() - 3_600_000).toISOString(),
    validTo: new Date(Date.now() + 86_400_000).toISOString(),
  })
  const buyer = c[3]!
  await stack.ok('admin', { action: 'issueCoupon', couponId, segment: 'general_retain', grantKey: 'use' }, operator)
  const productId = await createProduct(stack, admin, { title: '回购商品', priceFen: 2000, stock: 10 })
  await saveAddress(stack, buyer.token)
  const [{ id: userCouponId, valid_to }] = await sql(stack, 'SELECT id, valid_to FROM user_coupons WHERE coupon_id = $1 AND user_id = $2', [
    couponId,
    buyer.user.id,
  ])
  // a coupon's own window: the granted one ends with it
  expect(new Date(valid_to).getTime()).toBeGreaterThan(Date.now() + 86_000_000)
  const o = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key(), userCouponId }, buyer.token)
  expect((await grantsOf(couponId))[0]!.used).toBe(0) // placed, not paid
  await payOrder(stack, buyer.token, o.orderId)
  expect((await grantsOf(couponId))[0]!).toMatchObject({ issued: 5, used: 1 })
  // the payment counts for RFM at once: 2 orders, 1,600 fen, today
  const { items } = await stack.ok('admin', { action: 'members', q: '顾客3' }, service)
  expect(items[0]).toMatchObject({ orders: 2, spentFen: 1600, recencyDays: 0 })
  await stack.ok('admin', { action: 'refund', orderId: o.orderId, reason: '客户不要了' }, admin)
  expect((await grantsOf(couponId))[0]!.used).toBe(0)
  expect((await stack.ok('admin', { action: 'members', q: '顾客3' }, service)).items[0]).toMatchObject({ orders: 1, spentFen: 100 })
})

test('bad input is refused and changes nothing', async () => {
  const couponId = await coupon({ title: '错误输入券' })
  const before = await sql(stack, 'SELECT (SELECT count(*)::int FROM user_coupons) AS uc, (SELECT count(*)::int FROM coupon_grants) AS g')
  const bad = [
    { couponId, grantKey: 'b1' },
    { couponId, grantKey: 'b2', segment: 'general_retain', userIds: [c[0]!.user.id] },
    { couponId, grantKey: 'b3', segment: 'vip' },
    { couponId, grantKey: '', segment: 'general_retain' },
    { couponId, grantKey: 'b4', userIds: [] },
  ]
  for (const input of bad) {
    const r = await stack.call('admin', { action: 'issueCoupon', ...input }, operator)
    expect((r.body as any).error.code).toBe('VALIDATION_FAILED')
  }
  const unknownUser = await stack.call(
    'admin',
    { action: 'issueCoupon', couponId, grantKey: 'b5', userIds: [c[0]!.user.id, 'u_nobody'] },
    operator,
  )
  expect(unknownUser.status).toBe(400)
  expect((unknownUser.body as any).error.code).toBe('VALIDATION_FAILED')
  const unknownCoupon = await stack.call(
    'admin',
    { action: 'issueCoupon', couponId: 'c_nothing', grantKey: 'b6', segment: 'general_retain' },
    operator,
  )
  expect((unknownCoupon.body as any).error.code).toBe('NOT_FOUND')
  const ended = await coupon({
    title: '已结束券',
    validDays: undefined,
    validFrom: new Date(Date.now() - 7_200_000).toISOString(),
    validTo: new Date(Date.now() - 3_600_000).toISOString(),
    // A window already over is legal after the merchant confirms it (the coupon desk's ENDS_SOON).
    confirm: ['ENDS_SOON'],
  })
  const late = await stack.call('admin', { action: 'issueCoupon', couponId: ended, grantKey: 'b7', segment: 'general_retain' }, operator)
  expect((late.body as any).error.code).toBe('COUPON_ENDED')
  const after = await sql(stack, 'SELECT (SELECT count(*)::int FROM user_coupons) AS uc, (SELECT count(*)::int FROM coupon_grants) AS g')
  expect(after).toEqual(before)
})

test("the room's own grant keys are not the merchant's to take", async () => {
  const couponId = await coupon({ title: '保留编号券' })
  for (const grantKey of ['room-end:r_1', 'room-top3:r_1', ':mine', ' :mine']) {
    const r = await stack.call('admin', { action: 'issueCoupon', couponId, grantKey, userIds: [c[0]!.user.id] }, operator)
    expect([grantKey, r.status, (r.body as any).error?.code]).toEqual([grantKey, 400, 'VALIDATION_FAILED'])
  }
  expect(await held(couponId)).toEqual({})
  expect(await sql(stack, 'SELECT grant_key FROM coupon_grants WHERE coupon_id = $1', [couponId])).toEqual([])
  // a key merely containing those words is the merchant's
  expect(
    await stack.ok('admin', { action: 'issueCoupon', couponId, grantKey: 'my-room-end:1', userIds: [c[0]!.user.id] }, operator),
  ).toEqual({
    issued: 1,
    already: 0,
  })
})

test('a grant racing 结束: one committed after the end committed is refused COUPON_ENDED', async () => {
  const couponId = await coupon({ title: '结束竞速券' })
  // 结束 holds the coupon's row (uncommitted) while the grant comes in; the grant must wait and see it.
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  try {
    // What coupons.setStatus does for 结束: the coupon's status lock, exclusively, then the status.
    await db.query('BEGIN')
    await db.query(`SELECT pg_advisory_xact_lock(${couponStatusLockKey('$1::text')})`, [couponId])
    await db.query(`UPDATE coupons SET status = 'ended' WHERE id = $1`, [couponId])
    const granting = stack.call('admin', { action: 'issueCoupon', couponId, grantKey: 'race-end', userIds: [c[1]!.user.id] }, operator)
    await untilBlockedBy(stack, db)
    await db.query('COMMIT')
    const r = await granting
    expect((r.body as any).error?.code).toBe('COUPON_ENDED')
  } finally {
    await db.end()
  }
  expect(await held(couponId)).toEqual({})
  // And raced through the API: whichever commits first, no coupon is granted after the end.
  const other = await coupon({ title: '结束竞速券二' })
  const [grant, end] = await Promise.all([
    stack.call('admin', { action: 'issueCoupon', couponId: other, grantKey: 'race-2', userIds: [c[2]!.user.id] }, operator),
    stack.call('admin', { action: 'setCouponStatus', couponId: other, status: 'ended' }, admin),
  ])
  expect(end.status).toBe(200)
  const g = grant.body as any
  if (g.ok) expect(await held(other)).toEqual({ [c[2]!.user.id]: 1 })
  else {
    expect(g.error.code).toBe('COUPON_ENDED')
    expect(await held(other)).toEqual({})
  }
  const afterEnd = await stack.call(
    'admin',
    { action: 'issueCoupon', couponId: other, grantKey: 'race-3', userIds: [c[3]!.user.id] },
    operator,
  )
  expect((afterEnd.body as any).error.code).toBe('COUPON_ENDED')
})

test('a long grant does not hold up claims of its coupon, and 结束 waits for it to commit', async () => {
  const couponId = await coupon({ title: '长发放券', stock: 100, perUserLimit: 1 })
  const shopper = await stack.login('grant-long-claimer')
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  try {
    // A grant held open in its own transaction, as admin.issueCoupon runs it (the status read, then the grant).
    await db.query('BEGIN')
    const repo = membersRepo(db)
    expect(await repo.couponStatus(couponId)).toBe('active')
    const now = new Date()
    const [{ id: actorId }] = await sql(stack, `SELECT id FROM users WHERE openid = 'op-1'`)
    await repo.grant({
      couponId,
      grantKey: 'long-grant',
      segment: null,
      userIds: [c[4]!.user.id],
      actorId,
      now,
      validFrom: now,
      validTo: new Date(now.getTime() + 86_400_000),
      message: { page: 'packages/coupon/mine', data: {} },
    })
    // A claim of the same coupon (its stock update) completes while the grant is open: it answers
    // without ever waiting on the grant's locks (seen in PostgreSQL, not guessed from 3 s of silence).
    const [{ pid }] = (await db.query('SELECT pg_backend_pid() AS pid')).rows
    let answered = false
    const claiming = stack.call('coupon', { action: 'claim', couponId }, shopper.token).finally(() => (answered = true))
    await until(async () => answered || (await blocking(stack, pid)))
    expect(answered).toBe(true)
    expect((await claiming).status).toBe(200)
    // 结束 waits for the grant.
    let ended = false
    const end = stack.call('admin', { action: 'setCouponStatus', couponId, status: 'ended' }, admin).then((r) => ((ended = true), r))
    await untilBlockedBy(stack, db)
    expect(ended).toBe(false)
    await db.query('COMMIT')
    expect((await end).status).toBe(200)
  } finally {
    await db.end()
  }
  expect(await held(couponId)).toEqual({ [c[4]!.user.id]: 1, [shopper.user.id]: 1 })
  // After the end: refused.
  const late = await stack.call('admin', { action: 'issueCoupon', couponId, grantKey: 'long-2', userIds: [c[3]!.user.id] }, operator)
  expect((late.body as any).error.code).toBe('COUPON_ENDED')
})

test('roles: the operator issues, 客服 reads customers but cannot issue, a shopper neither', async () => {
  const couponId = await coupon({ title: '权限券' })
  const bySvc = await stack.call('admin', { action: 'issueCoupon', couponId, segment: 'important_value', grantKey: 'r1' }, service)
  expect(bySvc.status).toBe(403)
  expect((await stack.ok('admin', { action: 'members' }, service)).items.length).toBeGreaterThan(0)
  expect((await stack.ok('admin', { action: 'member', userId: vip.user.id }, service)).member.segment).toBe('important_value')
  expect((await stack.call('admin', { action: 'members' }, c[0]!.token)).status).toBe(403)
  expect(await held(couponId)).toEqual({})
  expect(await stack.ok('admin', { action: 'issueCoupon', couponId, segment: 'important_value', grantKey: 'r1' }, operator)).toEqual({
    issued: 1,
    already: 0,
  })
  const audit = await sql(stack, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.issueCoupon'`)
  expect(audit[0].n).toBeGreaterThan(0)
})
