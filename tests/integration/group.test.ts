/** 拼团 (group buys) on real PostgreSQL: seats under races, payments, refunds, expiry and shipping. */
import pg from 'pg'
import { jobsFor, type Jobs } from '../helpers/jobs'
import { createProduct, key, payOrder, postNotify, saveAddress, sql, stockOf } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

// Unpaid orders keep their seats for 4 hours, so a test can move the jobs' clock past a 1-hour group
// without the pay timeout cancelling them first (the group's expiry is what is under test).
const env = { REFUND_WINDOW_DAYS: '7', JOB_INTERVAL_MS: '3600000', ORDER_PAY_MINUTES: '240' }
const HOUR = 3_600_000
let stack: Stack
let jobs: Jobs
let admin: string

beforeAll(async () => {
  stack = await startStack({ env })
  jobs = await jobsFor(stack, env)
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(async () => {
  await jobs?.close()
  await stack?.stop()
})

interface Shopper {
  token: string
  userId: string
  addressId: string
}
let shoppers = 0
async function shopper(nickname = '茶友小王'): Promise<Shopper> {
  const { token, user } = await stack.login(`grp-${++shoppers}-${key().slice(0, 8)}`, nickname)
  const { address } = await saveAddress(stack, token)
  return { token, userId: user.id, addressId: address.id }
}

/** A new ¥59 product (stock 100) and a 3-person campaign at ¥29 open now, 1 hour per group. */
async function campaign(fields: Record<string, unknown> = {}) {
  const productId = await createProduct(stack, admin, { priceFen: 5900, stock: 100 })
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createGroupCampaign',
      productId,
      groupPriceFen: 2900,
      groupSize: 3,
      groupHours: 1,
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + 7 * 24 * HOUR).toISOString(),
      onExpiry: 'refund',
      ...fields,
    },
    admin,
  )
  return { productId, campaignId: campaignId as string }
}

const checkout = (s: Shopper, k: string = key()) => ({ addressId: s.addressId, idempotencyKey: k })
const open = (campaignId: string, s: Shopper, k?: string) => stack.call('group', { action: 'open', campaignId, ...checkout(s, k) }, s.token)
const join = (groupId: string, s: Shopper, k?: string) => stack.call('group', { action: 'join', groupId, ...checkout(s, k) }, s.token)
const groupOf = (groupId: string, s: Shopper) => stack.ok('group', { action: 'get', groupId }, s.token)
const orderOf = async (orderId: string, s: Shopper) => (await stack.ok('order', { action: 'get', orderId }, s.token)).order
const row = async (groupId: string) => (await sql(stack, 'SELECT status, held, paid, expires_at FROM groups WHERE id = $1', [groupId]))[0]
const code = (r: { body: any }) => (r.body.ok ? 'OK' : r.body.error.code)

/** A leader opens and pays: the group is forming. */
async function formed(campaignId: string, leader?: Shopper) {
  const l = leader ?? (await shopper('团长阿花'))
  const opened = await open(campaignId, l)
  expect(code(opened)).toBe('OK')
  const { orderId, groupId } = (opened.body as any).data
  expect((await payOrder(stack, l.token, orderId)).answer.code).toBe('SUCCESS')
  return { leader: l, groupId: groupId as string, leaderOrder: orderId as string }
}

/** A friend joins (and pays unless told not to). */
async function joined(groupId: string, pay = true, nickname = '好友小李') {
  const s = await shopper(nickname)
  const r = await join(groupId, s)
  expect(code(r)).toBe('OK')
  const orderId = (r.body as any).data.orderId as string
  if (pay) expect((await payOrder(stack, s.token, orderId)).answer.code).toBe('SUCCESS')
  return { s, orderId }
}

test('open → pending (only the leader sees it) → paid: forming, listed with masked members, seats left and the clock', async () => {
  const { campaignId, productId } = await campaign()
  const listed = await stack.ok('group', { action: 'campaigns', productId })
  expect(listed.items).toEqual([expect.objectContaining({ campaignId, groupPriceFen: 2900, priceFen: 5900, groupSize: 3, open: true })])

  const leader = await shopper('团长阿花')
  const other = await shopper()
  const opened = (await open(campaignId, leader)).body as any
  expect(opened.data).toMatchObject({ payableFen: 2900 })
  const { groupId, orderId } = opened.data
  expect((await orderOf(orderId, leader)).kind).toBe('group')
  expect((await groupOf(groupId, leader)).status).toBe('pending')
  expect(code(await stack.call('group', { action: 'get', groupId }, other.token))).toBe('NOT_FOUND')
  expect(code(await join(groupId, other))).toBe('NOT_FOUND')
  expect((await stack.ok('group', { action: 'campaign', campaignId })).groups).toEqual([])

  const paidAt = Date.now()
  await payOrder(stack, leader.token, orderId)
  const seen = await groupOf(groupId, other)
  expect(seen).toMatchObject({ status: 'forming', size: 3, seatsLeft: 2, groupPriceFen: 2900, mine: null, canJoin: true })
  expect(seen.members).toEqual([{ nickname: '团**花', avatar: '', leader: true, paid: true, refunded: false }])
  const expires = new Date(seen.expiresAt).getTime()
  expect(expires).toBeGreaterThanOrEqual(paidAt + HOUR - 5_000)
  expect(expires).toBeLessThanOrEqual(Date.now() + HOUR + 5_000)
  expect(Math.abs(new Date(seen.serverTime).getTime() - Date.now())).toBeLessThan(5_000)
  const page = await stack.ok('group', { action: 'campaign', campaignId })
  expect(page.groups).toEqual([{ groupId, members: seen.members, seatsLeft: 2, expiresAt: seen.expiresAt, mine: false }])
  expect(page.myGroupId).toBeNull()
  // The leader's own view of the campaign page: their group marked mine, and where it is (查看我的团).
  const leaderPage = await stack.ok('group', { action: 'campaign', campaignId }, leader.token)
  expect(leaderPage.groups).toEqual([{ groupId, members: seen.members, seatsLeft: 2, expiresAt: seen.expiresAt, mine: true }])
  expect(leaderPage.myGroupId).toBe(groupId)
  // An outsider signed in sees it as someone else's, and holds no seat.
  const otherPage = await stack.ok('group', { action: 'campaign', campaignId }, other.token)
  expect(otherPage.groups[0].mine).toBe(false)
  expect(otherPage.myGroupId).toBeNull()
  expect((await groupOf(groupId, leader)).mine).toMatchObject({ orderId, leader: true, paid: true })
})

test('the LAST SEAT raced by several friends: exactly one order, the others GROUP_FULL before paying', async () => {
  const { campaignId } = await campaign()
  const { groupId } = await formed(campaignId)
  await joined(groupId, false) // holds the second seat unpaid
  const friends = await Promise.all(Array.from({ length: 8 }, () => shopper()))
  const results = await Promise.all(friends.map((f) => join(groupId, f)))
  const codes = results.map(code)
  expect(codes.filter((c) => c === 'OK')).toHaveLength(1)
  expect(codes.filter((c) => c === 'GROUP_FULL')).toHaveLength(7)
  expect(await row(groupId)).toMatchObject({ held: 3, paid: 1 })
  expect(await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE kind = 'group' AND play_ref = $1`, [groupId])).toEqual([{ n: 3 }])
  const refused = results.find((r) => code(r) === 'GROUP_FULL')!.body as any
  expect(refused.error.message).toBe('该团已满员，可以自己开一个团')
})

test('the same idempotency key raced: one order, one seat', async () => {
  const { campaignId } = await campaign()
  const { groupId } = await formed(campaignId)
  const friend = await shopper()
  const k = key()
  const results = await Promise.all(Array.from({ length: 6 }, () => join(groupId, friend, k)))
  expect(results.map(code)).toEqual(Array(6).fill('OK'))
  expect(new Set(results.map((r) => (r.body as any).data.orderId)).size).toBe(1)
  expect(await row(groupId)).toMatchObject({ held: 2 })
  // The same key raced on open: one order, one group.
  const leader = await shopper()
  const k2 = key()
  const opens = await Promise.all(Array.from({ length: 5 }, () => open(campaignId, leader, k2)))
  expect(opens.map(code)).toEqual(Array(5).fill('OK'))
  expect(new Set(opens.map((r) => (r.body as any).data.groupId)).size).toBe(1)
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM groups WHERE leader_id = $1', [leader.userId])).toEqual([{ n: 1 }])
  // The key names what it was for: the same key for another group is refused.
  expect(code(await join(groupId, leader, k2))).toBe('IDEMPOTENCY_KEY_REUSED')
})

test('one unfinished seat per person per campaign, raced (open and join at once)', async () => {
  const { campaignId } = await campaign()
  const { groupId } = await formed(campaignId)
  const { groupId: other } = await formed(campaignId)
  const racer = await shopper()
  const results = await Promise.all([open(campaignId, racer), join(groupId, racer), join(other, racer), open(campaignId, racer)])
  const codes = results.map(code)
  expect(codes.filter((c) => c === 'OK')).toHaveLength(1)
  expect(codes.filter((c) => c === 'GROUP_ALREADY_JOINED')).toHaveLength(3)
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM group_members WHERE user_id = $1', [racer.userId])).toEqual([{ n: 1 }])
  expect(await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE user_id = $1`, [racer.userId])).toEqual([{ n: 1 }])
})

test('cancel frees the seat; a refund while forming frees it, after success it does not', async () => {
  const { campaignId, productId } = await campaign()
  const { groupId, leaderOrder, leader } = await formed(campaignId)
  const before = await stockOf(stack, productId)
  const a = await joined(groupId, false)
  expect((await groupOf(groupId, a.s)).seatsLeft).toBe(1)
  await stack.ok('order', { action: 'cancel', orderId: a.orderId }, a.s.token)
  expect(await row(groupId)).toMatchObject({ held: 1, paid: 1, status: 'forming' })
  expect(await stockOf(stack, productId)).toBe(before)
  // The seat is theirs to take again.
  const again = await join(groupId, a.s)
  expect(code(again)).toBe('OK')
  await payOrder(stack, a.s.token, (again.body as any).data.orderId)
  expect(await row(groupId)).toMatchObject({ held: 2, paid: 2 })

  // Refunded while forming: the seat and the payment leave the group.
  await stack.ok('order', { action: 'requestRefund', orderId: (again.body as any).data.orderId, reason: '不想要了' }, a.s.token)
  await stack.ok('admin', { action: 'approveRefund', orderId: (again.body as any).data.orderId }, admin)
  expect(await row(groupId)).toMatchObject({ held: 1, paid: 1, status: 'forming' })
  expect((await groupOf(groupId, leader)).seatsLeft).toBe(2)

  // Two pay: succeeded. A refund now is an ordinary refund: the group stays succeeded and full.
  await joined(groupId)
  await joined(groupId)
  expect(await row(groupId)).toMatchObject({ held: 3, paid: 3, status: 'succeeded' })
  await stack.ok('admin', { action: 'refund', orderId: leaderOrder, reason: '客户协商退款' }, admin)
  expect(await row(groupId)).toMatchObject({ held: 3, paid: 3, status: 'succeeded' })
  const seen = await groupOf(groupId, leader)
  expect(seen).toMatchObject({ status: 'succeeded', seatsLeft: 0, canJoin: false })
})

test('success at N paid; group orders ship only then (GROUP_NOT_SUCCEEDED before)', async () => {
  const { campaignId } = await campaign()
  const { groupId, leaderOrder, leader } = await formed(campaignId)
  const shipIt = (orderId: string) =>
    stack.call('admin', { action: 'ship', orderId, carrier: '顺丰速运', trackingNo: `SF${Date.now()}` }, admin)
  const refused = await shipIt(leaderOrder)
  expect(code(refused)).toBe('GROUP_NOT_SUCCEEDED')
  expect((refused.body as any).error.message).toBe('拼团尚未成功，暂不能发货')
  expect((await orderOf(leaderOrder, leader)).status).toBe('paid')
  const b = await joined(groupId)
  expect((await groupOf(groupId, leader)).status).toBe('forming')
  await joined(groupId)
  expect((await groupOf(groupId, b.s)).status).toBe('succeeded')
  expect(code(await shipIt(leaderOrder))).toBe('OK')
  expect(code(await shipIt(b.orderId))).toBe('OK')
  // A closed group takes nobody.
  expect(code(await join(groupId, await shopper()))).toBe('GROUP_CLOSED')
  // The order desk shows the group's state on group orders.
  const desk = await stack.ok('admin', { action: 'order', orderId: b.orderId }, admin)
  expect(desk.order.group).toEqual({ groupId, status: 'succeeded', seatsLeft: 0 })
})

test('shipping raced against the order becoming paid (a rejected refund request, the notify) never ships before success', async () => {
  const { campaignId } = await campaign()
  const shipIt = (orderId: string) =>
    stack.call(
      'admin',
      { action: 'ship', orderId, carrier: '顺丰速运', trackingNo: `SF${Date.now()}${Math.random().toString().slice(2, 6)}` },
      admin,
    )
  const { groupId, leaderOrder, leader } = await formed(campaignId)
  // The ship reads the order while a refund is asked, and the rejection makes it paid again before the update.
  for (let round = 0; round < 6; round++) {
    await stack.ok('order', { action: 'requestRefund', orderId: leaderOrder, reason: '不想要了' }, leader.token)
    const [rejected, shipped] = await Promise.all([
      stack.call('admin', { action: 'rejectRefund', orderId: leaderOrder, reason: '拼团进行中' }, admin),
      shipIt(leaderOrder),
    ])
    expect(code(rejected)).toBe('OK')
    expect(code(shipped)).toBe('GROUP_NOT_SUCCEEDED')
    expect((await orderOf(leaderOrder, leader)).status).toBe('paid')
  }
  // The ship reads a member's order unpaid while its notify pays it.
  for (let round = 0; round < 3; round++) {
    const s = await shopper()
    const r = await join(groupId, s)
    const orderId = (r.body as any).data.orderId as string
    const [paid, ...ships] = await Promise.all([payOrder(stack, s.token, orderId), shipIt(orderId), shipIt(orderId)])
    expect(paid.answer.code).toBe('SUCCESS')
    // The group succeeds with the second member's payment; before that, nothing of it ships.
    const status = (await row(groupId)).status
    if (status !== 'succeeded') expect(ships.map(code)).toEqual(['GROUP_NOT_SUCCEEDED', 'GROUP_NOT_SUCCEEDED'])
    if (status === 'succeeded') break
  }
  expect(
    await sql(
      stack,
      `SELECT o.id FROM orders o JOIN groups g ON g.id = o.play_ref WHERE o.kind = 'group' AND o.carrier IS NOT NULL AND g.status <> 'succeeded'`,
    ),
  ).toEqual([])
})

test('a paid group order makes the buyer an existing customer; its refund makes them new again', async () => {
  const { campaignId } = await campaign()
  const { groupId } = await formed(campaignId)
  const friend = await shopper('新朋友')
  const me = async () => (await stack.ok('auth', { action: 'me' }, friend.token)).user.isNewCustomer
  expect(await me()).toBe(true)
  const r = await join(groupId, friend)
  const orderId = (r.body as any).data.orderId as string
  expect((await payOrder(stack, friend.token, orderId)).answer.code).toBe('SUCCESS')
  expect(await me()).toBe(false)
  await stack.ok('admin', { action: 'refund', orderId, reason: '顾客不要了' }, admin)
  expect(await me()).toBe(true)
})

test('EXPIRY with refunds: paid members refunded through the sandbox, stock back, unpaid cancelled, group failed', async () => {
  const { campaignId, productId } = await campaign()
  const stockAtStart = await stockOf(stack, productId)
  const { groupId, leaderOrder, leader } = await formed(campaignId)
  const paid = await joined(groupId)
  const unpaid = await joined(groupId, false)
  expect(await stockOf(stack, productId)).toBe(stockAtStart - 3)
  const { expiresAt } = await groupOf(groupId, leader)

  // Not yet: a run before the time ends nothing.
  expect((await jobs.runAt(new Date(new Date(expiresAt).getTime() - 60_000))).groupsEnded).toBe(0)
  const run = await jobs.runAt(new Date(new Date(expiresAt).getTime() + 1_000))
  expect(run.groupsEnded).toBeGreaterThanOrEqual(1)
  expect(await row(groupId)).toMatchObject({ status: 'failed' })
  for (const [orderId, s] of [
    [leaderOrder, leader],
    [paid.orderId, paid.s],
  ] as const) {
    const o = await orderOf(orderId, s)
    expect(o.status).toBe('refunded')
    const refunds = await sql(stack, 'SELECT amount_fen, provider_refund_id FROM refunds WHERE order_id = $1', [orderId])
    expect(refunds).toEqual([{ amount_fen: 2900, provider_refund_id: expect.any(String) }])
  }
  const timeline = await sql(stack, `SELECT merchant_refund_reason AS r FROM orders WHERE id = $1`, [leaderOrder])
  expect(timeline).toEqual([{ r: '拼团未成团，自动退款' }])
  expect(await orderOf(unpaid.orderId, unpaid.s)).toMatchObject({ status: 'cancelled', cancelReason: '拼团已结束' })
  expect(await stockOf(stack, productId)).toBe(stockAtStart)
  const seen = await groupOf(groupId, leader)
  expect(seen).toMatchObject({ status: 'failed', canJoin: false })
  // Ended groups run the jobs once: a second run changes nothing.
  await jobs.runAt(new Date(new Date(expiresAt).getTime() + 2_000))
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM refunds WHERE order_id = $1', [leaderOrder])).toEqual([{ n: 1 }])
  // The seat is finished: the leader may open another group.
  expect(code(await open(campaignId, leader))).toBe('OK')
})

test("onExpiry 'complete': the group succeeds with those who paid, the unpaid are cancelled, the paid ship", async () => {
  const { campaignId } = await campaign({ onExpiry: 'complete' })
  const { groupId, leaderOrder, leader } = await formed(campaignId)
  const unpaid = await joined(groupId, false)
  const { expiresAt } = await groupOf(groupId, leader)
  await jobs.runAt(new Date(new Date(expiresAt).getTime() + 1_000))
  expect(await row(groupId)).toMatchObject({ status: 'succeeded', paid: 1 })
  expect((await orderOf(leaderOrder, leader)).status).toBe('paid')
  expect((await orderOf(unpaid.orderId, unpaid.s)).status).toBe('cancelled')
  expect(
    code(await stack.call('admin', { action: 'ship', orderId: leaderOrder, carrier: '顺丰速运', trackingNo: 'SF1234567890' }, admin)),
  ).toBe('OK')
})

test('a payment that crosses the expiry is refunded at once (past its time, or after the group failed)', async () => {
  const { campaignId } = await campaign()
  // Past its time, before the jobs ran: the notify finds the group over and refunds by the system.
  const first = await formed(campaignId)
  const late = await joined(first.groupId, false)
  // The payment was asked for while the group ran (order.pay refuses once its time is up).
  const { payment: asked } = await stack.ok('order', { action: 'pay', orderId: late.orderId }, late.s.token)
  await sql(stack, `UPDATE groups SET expires_at = now() - interval '1 second' WHERE id = $1`, [first.groupId])
  const paid = await postNotify(asked.notifyUrl, asked.body)
  expect(paid.answer).toMatchObject({ code: 'SUCCESS', message: 'refunded_group_ended' })
  const o = await orderOf(late.orderId, late.s)
  expect(o).toMatchObject({ status: 'refunded' })
  expect(
    await sql(
      stack,
      'SELECT amount_fen, merchant_refund_reason AS r FROM refunds JOIN orders ON orders.id = refunds.order_id WHERE order_id = $1',
      [late.orderId],
    ),
  ).toEqual([{ amount_fen: 2900, r: '拼团已结束，款项已原路退回' }])
  expect(await row(first.groupId)).toMatchObject({ held: 1, paid: 1 })

  // After the group failed: the unpaid order was cancelled with it; its money goes back.
  const second = await formed(campaignId)
  const after = await joined(second.groupId, false)
  const { payment } = await stack.ok('order', { action: 'pay', orderId: after.orderId }, after.s.token)
  const { expiresAt } = await groupOf(second.groupId, second.leader)
  await jobs.runAt(new Date(new Date(expiresAt).getTime() + 1_000))
  expect(await row(second.groupId)).toMatchObject({ status: 'failed' })
  expect((await postNotify(payment.notifyUrl, payment.body)).answer).toMatchObject({ code: 'SUCCESS', message: 'refunded_after_cancel' })
  expect(await sql(stack, 'SELECT amount_fen FROM refunds WHERE order_id = $1', [after.orderId])).toEqual([{ amount_fen: 2900 }])
})

test('expiry racing payment notifies ends consistently: never paid and kept in a failed group', async () => {
  const { campaignId } = await campaign()
  const groups = await Promise.all(Array.from({ length: 4 }, () => formed(campaignId)))
  const members = await Promise.all(
    groups.map(async (g) => {
      const m = await joined(g.groupId, false)
      const { payment } = await stack.ok('order', { action: 'pay', orderId: m.orderId }, m.s.token)
      return { ...m, payment, groupId: g.groupId }
    }),
  )
  const latest = Math.max(
    ...(await Promise.all(groups.map(async (g) => new Date((await groupOf(g.groupId, g.leader)).expiresAt).getTime()))),
  )
  await Promise.all([jobs.runAt(new Date(latest + 1_000)), ...members.map((m) => postNotify(m.payment.notifyUrl, m.payment.body))])
  for (const m of members) {
    const g = await row(m.groupId)
    expect(g.status).toBe('failed')
    const o = await orderOf(m.orderId, m.s)
    // Counted then refunded with the group, or cancelled by the expiry and refunded alone.
    expect(['refunded', 'cancelled']).toContain(o.status)
    expect(await sql(stack, 'SELECT amount_fen FROM refunds WHERE order_id = $1', [m.orderId])).toEqual([{ amount_fen: 2900 }])
  }
  for (const g of groups) expect((await orderOf(g.leaderOrder, g.leader)).status).toBe('refunded')
  const kept = await sql(
    stack,
    `SELECT count(*)::int AS n FROM orders o JOIN groups g ON g.id = o.play_ref
     WHERE o.kind = 'group' AND g.status = 'failed' AND o.status IN ('paid', 'shipped', 'completed', 'refund_requested')`,
  )
  expect(kept).toEqual([{ n: 0 }])
})

test('a paused campaign refuses opens and joins; a retry of a placed order still answers it', async () => {
  const { campaignId } = await campaign()
  const { groupId } = await formed(campaignId)
  const friend = await shopper()
  const k = key()
  const first = await join(groupId, friend, k)
  expect(code(first)).toBe('OK')
  await stack.ok('admin', { action: 'updateGroupCampaign', campaignId, status: 'paused' }, admin)
  const refusedOpen = await open(campaignId, await shopper())
  expect(code(refusedOpen)).toBe('GROUP_NOT_ACTIVE')
  expect(code(await join(groupId, await shopper()))).toBe('GROUP_NOT_ACTIVE')
  expect((await join(groupId, friend, k)).body).toEqual(first.body)
  expect((await stack.ok('group', { action: 'campaigns' })).items.map((c: any) => c.campaignId)).not.toContain(campaignId)
  await stack.ok('admin', { action: 'updateGroupCampaign', campaignId, status: 'active' }, admin)
  expect(code(await join(groupId, await shopper()))).toBe('OK')
  // Not started yet: refused as well.
  const later = await campaign({ startsAt: new Date(Date.now() + HOUR).toISOString() })
  expect(code(await open(later.campaignId, await shopper()))).toBe('GROUP_NOT_ACTIVE')
})

test('bad input: clear codes, nothing changes', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 5900, stock: 10 })
  const base = {
    action: 'createGroupCampaign',
    productId,
    groupPriceFen: 2900,
    groupSize: 3,
    groupHours: 24,
    startsAt: new Date(Date.now() - HOUR).toISOString(),
    endsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
    onExpiry: 'refund',
  }
  const before = await sql(stack, 'SELECT count(*)::int AS n FROM group_campaigns')
  const refusal = async (fields: Record<string, unknown>) => {
    const r = await stack.call('admin', { ...base, ...fields }, admin)
    return r.body.ok ? 'OK' : `${r.body.error.code}:${JSON.stringify(((r.body.error.details as any) ?? []).map((i: any) => i.path))}`
  }
  expect(await refusal({ groupPriceFen: 5900 })).toMatch(/^VALIDATION_FAILED:.*groupPriceFen/)
  expect(await refusal({ groupSize: 1 })).toMatch(/^VALIDATION_FAILED:.*groupSize/)
  expect(await refusal({ groupSize: 11 })).toMatch(/^VALIDATION_FAILED:.*groupSize/)
  expect(await refusal({ groupHours: 73 })).toMatch(/^VALIDATION_FAILED:.*groupHours/)
  expect(await refusal({ onExpiry: 'keep' })).toMatch(/^VALIDATION_FAILED:.*onExpiry/)
  expect(
    await refusal({ endsAt: new Date(Date.now() - 60_000).toISOString(), startsAt: new Date(Date.now() - HOUR).toISOString() }),
  ).toMatch(/^VALIDATION_FAILED:.*endsAt/)
  expect(await refusal({ productId: 'p_missing' })).toMatch(/^NOT_FOUND/)
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM group_campaigns')).toEqual(before)

  const { campaignId } = await campaign()
  const s = await shopper()
  expect(code(await stack.call('group', { action: 'join', groupId: 'g_missing', ...checkout(s) }, s.token))).toBe('NOT_FOUND')
  expect(code(await stack.call('group', { action: 'open', campaignId, addressId: s.addressId, idempotencyKey: 'short' }, s.token))).toBe(
    'VALIDATION_FAILED',
  )
  expect(code(await stack.call('group', { action: 'open', campaignId, addressId: 'a_missing', idempotencyKey: key() }, s.token))).toBe(
    'NOT_FOUND',
  )
  expect(code(await stack.call('group', { action: 'open', campaignId, ...checkout(s) }))).toBe('UNAUTHENTICATED')
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [s.userId])).toEqual([{ n: 0 }])
  // Price and size are fixed once a group opened.
  await formed(campaignId)
  expect(code(await stack.call('admin', { action: 'updateGroupCampaign', campaignId, groupSize: 5 }, admin))).toBe('VALIDATION_FAILED')
  const same = await stack.ok('admin', { action: 'updateGroupCampaign', campaignId, title: '三人团 · 春茶' }, admin)
  expect(same.campaign).toMatchObject({ title: '三人团 · 春茶', groupSize: 3, locked: true })
})

test('the console: results of a campaign (opened, succeeded, failed, paid members, GMV net of refunds)', async () => {
  const { campaignId } = await campaign({ idempotencyKey: key() })
  const ok = await formed(campaignId)
  await joined(ok.groupId)
  await joined(ok.groupId)
  await formed(campaignId)
  const third = await formed(campaignId)
  const { expiresAt } = await groupOf(third.groupId, third.leader)
  await jobs.runAt(new Date(new Date(expiresAt).getTime() + 1_000))
  const { campaign: c, groups } = await stack.ok('admin', { action: 'groupCampaign', campaignId }, admin)
  expect(c).toMatchObject({ groupsOpened: 3, groupsSucceeded: 1, groupsFailed: 2, groupsForming: 0, membersPaid: 5 })
  expect(c).toMatchObject({ refundedFen: 2 * 2900, gmvFen: 3 * 2900, successRate: 0.333 })
  expect(groups).toHaveLength(3)
  const succeeded = groups.find((g: any) => g.groupId === ok.groupId)
  expect(succeeded).toMatchObject({ status: 'succeeded', size: 3, paid: 3, leader: '团长阿花' })
  expect(succeeded.members).toHaveLength(3)
  const list = await stack.ok('admin', { action: 'groupCampaigns' }, admin)
  expect(list.items.find((i: any) => i.campaignId === campaignId)).toMatchObject({ groupsSucceeded: 1 })
})

describe('review fixes', () => {
  const deadlocks = async () =>
    Number((await sql(stack, 'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()'))[0].deadlocks)

  test('a join in flight at expiry, its notify and the expiry: no deadlock, the expiry ends the group, the late payment goes back', async () => {
    const { campaignId, productId } = await campaign()
    const g = await formed(campaignId)
    const [{ sku_id: skuId }] = await sql(stack, 'SELECT id AS sku_id FROM skus WHERE product_id = $1', [productId])
    const [{ transaction_id: leaderTxn }] = await sql(stack, 'SELECT transaction_id FROM payments WHERE order_id = $1', [g.leaderOrder])
    const { expiresAt } = await groupOf(g.groupId, g.leader)
    const before = await deadlocks()
    const y = new pg.Client({ connectionString: stack.databaseUrl })
    const x = new pg.Client({ connectionString: stack.databaseUrl })
    await y.connect()
    await x.connect()
    try {
      // Y holds the leader's refund key: the expiry, once it ended the group, waits on it with its locks held.
      await y.query('BEGIN')
      const other = await formed(campaignId)
      await y.query(`INSERT INTO refunds (order_id, transaction_id, amount_fen, provider_refund_id) VALUES ($1, $2, 2900, 'hold')`, [
        other.leaderOrder,
        leaderTxn,
      ])
      // X holds the SKU: the join takes its seat (the group's row) and then waits for the stock.
      await x.query('BEGIN')
      await x.query('SELECT 1 FROM skus WHERE id = $1 FOR NO KEY UPDATE', [skuId])
      const a = await shopper()
      const joining = join(g.groupId, a)
      await new Promise((r) => setTimeout(r, 500))
      const expiry = jobs.runAt(new Date(new Date(expiresAt).getTime() + 1_000)).then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, e: String(e) }),
      )
      await new Promise((r) => setTimeout(r, 500))
      await x.query('COMMIT')
      const joined = await joining
      expect(code(joined)).toBe('OK')
      const orderId = (joined.body as any).data.orderId as string
      const { payment } = await stack.ok('order', { action: 'pay', orderId }, a.token)
      const notify = postNotify(payment.notifyUrl, payment.body)
      await new Promise((r) => setTimeout(r, 500))
      await y.query('ROLLBACK')
      const [ended, paid] = await Promise.all([expiry, notify])
      expect(ended).toMatchObject({ ok: true })
      expect(ended.ok && ended.r.groupsEnded).toBeGreaterThanOrEqual(1)
      expect(paid.answer.code).toBe('SUCCESS')
      expect(await row(g.groupId)).toMatchObject({ status: 'failed' })
      // The joiner's order was cancelled by the expiry; their money, come after, goes back.
      expect((await orderOf(orderId, a)).status).toBe('cancelled')
      expect((await orderOf(g.leaderOrder, g.leader)).status).toBe('refunded')
      // A backend reports its deadlocks when it goes idle (at most once a second): look for a while.
      let seen = before
      for (let i = 0; i < 16 && seen === before; i++) {
        await new Promise((r) => setTimeout(r, 250))
        seen = await deadlocks()
      }
      expect(seen).toBe(before)
    } finally {
      await y.end()
      await x.end()
    }
  }, 20_000)

  test('an open crossing a price/size edit opens on the terms the campaign has when it commits', async () => {
    const { campaignId } = await campaign()
    const client = new pg.Client({ connectionString: stack.databaseUrl })
    await client.connect()
    try {
      // The edit's statements (updateCampaign): the row locked, no group yet, then the new terms.
      await client.query('BEGIN')
      await client.query('SELECT 1 FROM group_campaigns WHERE id = $1 FOR UPDATE', [campaignId])
      const l = await shopper()
      const opening = open(campaignId, l)
      await new Promise((r) => setTimeout(r, 800))
      const { rows } = await client.query('SELECT EXISTS (SELECT 1 FROM groups WHERE campaign_id = $1) AS any', [campaignId])
      expect(rows[0].any).toBe(false)
      await client.query('UPDATE group_campaigns SET group_price_fen = 1900, group_size = 2 WHERE id = $1', [campaignId])
      await client.query('COMMIT')
      const r = await opening
      expect(code(r)).toBe('OK')
      expect((r.body as any).data.payableFen).toBe(1900)
      const [g] = await sql(stack, 'SELECT size, price_fen FROM groups WHERE campaign_id = $1', [campaignId])
      expect(g).toEqual({ size: 2, price_fen: 1900 })
    } finally {
      await client.end()
    }
  })

  test("a member cannot pay into a group whose time is up: the deadline is the group's, pay is GROUP_CLOSED, the page says time is up", async () => {
    const { campaignId } = await campaign()
    const g = await formed(campaignId)
    const a = await shopper()
    const { orderId } = ((await join(g.groupId, a)).body as any).data
    const { expiresAt } = await groupOf(g.groupId, a)
    expect(new Date((await orderOf(orderId, a)).payDeadline).getTime()).toBeLessThanOrEqual(new Date(expiresAt).getTime())
    await sql(stack, `UPDATE groups SET expires_at = now() - interval '1 second' WHERE id = $1`, [g.groupId])
    expect(code(await stack.call('order', { action: 'pay', orderId }, a.token))).toBe('GROUP_CLOSED')
    expect(await groupOf(g.groupId, a)).toMatchObject({ status: 'forming', timeUp: true, canJoin: false })
    // The leader's pending group (no clock yet) still takes the leader's payment.
    const l2 = await shopper()
    const opened = ((await open(campaignId, l2)).body as any).data
    expect(code(await stack.call('order', { action: 'pay', orderId: opened.orderId }, l2.token))).toBe('OK')
  })

  test('console GMV counts only refunds of the recorded payment (a second payment refunded is not)', async () => {
    const { campaignId } = await campaign()
    await formed(campaignId)
    const g = await formed(campaignId)
    const a = await shopper()
    const { orderId } = ((await join(g.groupId, a)).body as any).data
    const first = (await stack.ok('order', { action: 'pay', orderId }, a.token)).payment
    const second = (await stack.ok('order', { action: 'pay', orderId }, a.token)).payment
    expect((await postNotify(first.notifyUrl, first.body)).answer.code).toBe('SUCCESS')
    expect((await postNotify(second.notifyUrl, second.body)).answer.message).toBe('SECOND_PAYMENT_REFUNDED')
    const { campaign: c } = await stack.ok('admin', { action: 'groupCampaign', campaignId }, admin)
    expect(c).toMatchObject({ membersPaid: 3, gmvFen: 3 * 2900, refundedFen: 0 })
  })

  test('a failed group lists those who paid, refunded marked, no seat left; a full unpaid group waits for payments', async () => {
    const { campaignId } = await campaign()
    const g = await formed(campaignId)
    const a = await shopper('好友甲')
    await payOrder(stack, a.token, ((await join(g.groupId, a)).body as any).data.orderId)
    const b = await shopper('好友乙')
    await join(g.groupId, b)
    // Full, one unpaid: no seat left, one awaited.
    expect(await groupOf(g.groupId, g.leader)).toMatchObject({ status: 'forming', seatsLeft: 0, awaitingPayment: 1 })
    const { expiresAt } = await groupOf(g.groupId, g.leader)
    await jobs.runAt(new Date(new Date(expiresAt).getTime() + 1_000))
    const seen = await groupOf(g.groupId, g.leader)
    expect(seen).toMatchObject({ status: 'failed', seatsLeft: 0, awaitingPayment: 0 })
    expect(seen.members).toEqual([
      expect.objectContaining({ nickname: '团**花', leader: true, paid: true, refunded: true }),
      expect.objectContaining({ nickname: '好**甲', leader: false, paid: true, refunded: true }),
    ])
  })

  test('canJoin is false for a caller holding an unfinished seat in another group of the campaign, with the reason', async () => {
    const { campaignId } = await campaign()
    const g1 = await formed(campaignId)
    const g2 = await formed(campaignId)
    const a = await shopper()
    expect(await groupOf(g2.groupId, a)).toMatchObject({ canJoin: true, inAnotherGroup: false })
    expect(code(await join(g1.groupId, a))).toBe('OK')
    expect(await groupOf(g2.groupId, a)).toMatchObject({ canJoin: false, inAnotherGroup: true })
    expect(await groupOf(g1.groupId, a)).toMatchObject({ canJoin: false, inAnotherGroup: false })
  })

  test('an open is refused once the SKU costs no more than the group price; a join into a running group is not', async () => {
    const { campaignId, productId } = await campaign()
    const g = await formed(campaignId)
    await sql(stack, 'UPDATE skus SET price_fen = 2900 WHERE product_id = $1', [productId])
    const r = await open(campaignId, await shopper())
    expect(code(r)).toBe('GROUP_NOT_ACTIVE')
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM groups WHERE campaign_id = $1', [campaignId])).toEqual([{ n: 1 }])
    expect(code(await join(g.groupId, await shopper()))).toBe('OK')
  })
})

describe('a refund while forming', () => {
  test('the last paid member refunded: the group fails at once, its unpaid orders cancelled, nobody can join it', async () => {
    const { campaignId } = await campaign()
    const { groupId, leaderOrder, leader } = await formed(campaignId)
    const unpaid = await joined(groupId, false)
    await stack.ok('admin', { action: 'refund', orderId: leaderOrder, reason: '客户协商退款' }, admin)
    expect(await row(groupId)).toMatchObject({ status: 'failed', held: 0, paid: 0 })
    expect(await orderOf(unpaid.orderId, unpaid.s)).toMatchObject({ status: 'cancelled' })
    const outsider = await shopper()
    expect(await groupOf(groupId, outsider)).toMatchObject({ status: 'failed', canJoin: false, seatsLeft: 0 })
    expect(code(await join(groupId, outsider))).toBe('GROUP_CLOSED')
    expect(await groupOf(groupId, leader)).toMatchObject({ canJoin: false })
    expect((await stack.ok('group', { action: 'campaign', campaignId })).groups).toEqual([])
    // The unpaid member's payment cannot land in it.
    expect(code(await stack.call('order', { action: 'pay', orderId: unpaid.orderId }, unpaid.s.token))).not.toBe('OK')
  })

  test('the leader refunded while another member paid: the group goes on, the first paid member is 团长, the leader cannot join it again', async () => {
    const { campaignId } = await campaign()
    const { groupId, leaderOrder, leader } = await formed(campaignId)
    const b = await joined(groupId, true, '好友小李')
    await stack.ok('admin', { action: 'refund', orderId: leaderOrder, reason: '客户协商退款' }, admin)
    expect(await row(groupId)).toMatchObject({ status: 'forming', held: 1, paid: 1 })
    const seen = await groupOf(groupId, leader)
    expect(seen.members).toEqual([expect.objectContaining({ nickname: '好**李', leader: true, paid: true })])
    expect(seen.canJoin).toBe(false)
    expect(code(await join(groupId, leader))).toBe('GROUP_ALREADY_JOINED')
    expect((await groupOf(groupId, b.s)).status).toBe('forming')
  })
})

describe('a pause or end that has committed lets no further join take a seat', () => {
  /** Backends of this database waiting for a lock (a row held by another transaction). */
  const lockWaiters = async () =>
    (await sql(stack, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0]
      .n as number
  /** Polls `ready` (up to `ms`); true once it holds. */
  async function until(ready: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
    const deadline = Date.now() + ms
    while (Date.now() < deadline) {
      if (await ready()) return true
      await new Promise((r) => setTimeout(r, 50))
    }
    return false
  }
  const heldOf = async (campaignId: string) =>
    (await sql(stack, 'SELECT COALESCE(sum(held), 0)::int AS n FROM groups WHERE campaign_id = $1', [campaignId]))[0].n as number
  const settledFlag = <T>(p: Promise<T>) => {
    const s = { done: false }
    void p.finally(() => (s.done = true))
    return s
  }

  // The desk's pause (its FOR UPDATE on the campaign also meets the join's foreign-key lock), and a plain
  // UPDATE of the status, as any writer of the campaign's status or window (an end) may send.
  test.each([
    ['the desk', (campaignId: string) => stack.ok('admin', { action: 'updateGroupCampaign', campaignId, status: 'paused' }, admin)],
    ['a plain UPDATE', (campaignId: string) => sql(stack, `UPDATE group_campaigns SET status = 'paused' WHERE id = $1`, [campaignId])],
  ])(
    'a join holding its seat when a pause (%s) is asked: the pause waits for it, so no seat is committed after it returns',
    async (_how, pause) => {
      const { campaignId, productId } = await campaign({ groupSize: 10 })
      const g = await formed(campaignId)
      const [{ id: skuId }] = await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId])
      const x = new pg.Client({ connectionString: stack.databaseUrl })
      await x.connect()
      try {
        // X holds the SKU: the join takes its seat (the group's row) and then waits for the stock, its last statement.
        await x.query('BEGIN')
        await x.query('SELECT 1 FROM skus WHERE id = $1 FOR NO KEY UPDATE', [skuId])
        const joining = join(g.groupId, await shopper())
        const joinDone = settledFlag(joining)
        expect(await until(async () => (await lockWaiters()) >= 1)).toBe(true)
        // The pause: what was committed when it answered is read at once.
        const pausing = pause(campaignId).then(async () => ({ heldAtPause: await heldOf(campaignId) }))
        const pauseDone = settledFlag(pausing)
        // The pause waits for the join's seat (both wait now), or — without the rule — answers at once.
        await until(async () => pauseDone.done || (await lockWaiters()) >= 2, 5_000)
        expect(joinDone.done).toBe(false)
        await x.query('COMMIT')
        const [paused, joined] = await Promise.all([pausing, joining])
        // The join was in flight before the pause: it is serialised before it and keeps its seat.
        expect(code(joined)).toBe('OK')
        expect(paused.heldAtPause).toBe(2)
        expect(await heldOf(campaignId)).toBe(paused.heldAtPause)
        // After the pause, nobody joins.
        expect(code(await join(g.groupId, await shopper()))).toBe('GROUP_NOT_ACTIVE')
        expect(await heldOf(campaignId)).toBe(2)
      } finally {
        await x.query('ROLLBACK').catch(() => undefined)
        await x.end()
      }
    },
  )

  test.each([
    ['paused', `UPDATE group_campaigns SET status = 'paused' WHERE id = $1`],
    ['ended (endsAt moved to now)', `UPDATE group_campaigns SET ends_at = now() WHERE id = $1`],
  ])(
    'a join reaching the group while the change (%s) is committing is refused once it commits: no seat, no order',
    async (_what, change) => {
      const { campaignId } = await campaign({ groupSize: 10 })
      const g = await formed(campaignId)
      const friend = await shopper()
      const y = new pg.Client({ connectionString: stack.databaseUrl })
      await y.connect()
      try {
        // Y is the change in its transaction, not committed yet (as the desk's update is while it runs).
        await y.query('BEGIN')
        await y.query(change, [campaignId])
        const joining = join(g.groupId, friend)
        const joinDone = settledFlag(joining)
        // The join read the campaign as open (Y has not committed): it places its order and waits for the
        // group's row, which the change holds — or, without the rule, takes the seat at once.
        await until(async () => joinDone.done || (await lockWaiters()) >= 1, 5_000)
        await y.query('COMMIT')
        const r = await joining
        expect(code(r)).toBe('GROUP_NOT_ACTIVE')
        expect(await heldOf(campaignId)).toBe(1)
        expect(await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE user_id = $1`, [friend.userId])).toEqual([{ n: 0 }])
      } finally {
        await y.query('ROLLBACK').catch(() => undefined)
        await y.end()
      }
    },
  )

  test('RACE: many joins in flight while a pause commits through the desk — no seat is taken after the pause answered', async () => {
    const { campaignId, productId } = await campaign({ groupSize: 10 })
    await sql(stack, 'UPDATE skus SET stock = 1000 WHERE product_id = $1', [productId])
    const groups: string[] = []
    for (let i = 0; i < 12; i++) groups.push((await formed(campaignId)).groupId)
    const friends = await Promise.all(Array.from({ length: 100 }, () => shopper()))
    const startHeld = await heldOf(campaignId)
    type Outcome = { code: string; startedAt: number; endedAt: number; orderId?: string; key: string }
    const calls: Promise<Outcome>[] = []
    const send = (f: Shopper, groupId: string, k: string) => {
      const startedAt = Date.now()
      calls.push(
        join(groupId, f, k).then((r) => ({
          code: code(r),
          startedAt,
          endedAt: Date.now(),
          key: k,
          ...(r.body.ok ? { orderId: (r.body as any).data.orderId } : {}),
        })),
      )
    }
    // Friends keep joining, one every few milliseconds (every sixth sends a second copy of its key),
    // from before the pause is asked until it answered; then the last 15 friends join after it, by
    // construction (12 groups: a seat for everyone). Whether some joins are still in flight when the
    // pause answers depends on the machine's speed: the deterministic tests above hold that case.
    let pauseAnswered = 0
    let heldAtPause = -1
    let pausing: Promise<void> | undefined
    const sendOne = (i: number) => {
      const k = key()
      send(friends[i]!, groups[i % groups.length]!, k)
      if (i % 6 === 0) send(friends[i]!, groups[i % groups.length]!, k)
    }
    let i = 0
    for (; i < friends.length - 15 && !pauseAnswered; i++) {
      sendOne(i)
      if (i === 10)
        pausing = stack.ok('admin', { action: 'updateGroupCampaign', campaignId, status: 'paused' }, admin).then(async () => {
          heldAtPause = await heldOf(campaignId)
          pauseAnswered = Date.now()
        })
      await new Promise((r) => setTimeout(r, 10))
    }
    await pausing
    for (i = friends.length - 15; i < friends.length; i++) {
      sendOne(i)
      await new Promise((r) => setTimeout(r, 5))
    }
    const outcomes = await Promise.all(calls)
    // Nothing but seats and the pause's refusal (there are seats for everyone).
    expect(new Set(outcomes.map((o) => o.code))).toEqual(new Set(['OK', 'GROUP_NOT_ACTIVE']))
    expect(pauseAnswered).toBeGreaterThan(0)
    expect(outcomes.filter((o) => o.startedAt < pauseAnswered).length).toBeGreaterThan(10)
    expect(outcomes.filter((o) => o.startedAt > pauseAnswered).length).toBeGreaterThanOrEqual(15)
    // THE RULE: every seat there will ever be was committed when the pause answered.
    const finalHeld = await heldOf(campaignId)
    expect(finalHeld).toBe(heldAtPause)
    // Calls sent after the pause answered took nothing.
    expect(outcomes.filter((o) => o.startedAt > pauseAnswered && o.code === 'OK')).toEqual([])
    // Each key: at most one order, and its copies that succeeded answer that order; seats = orders kept.
    const byKey = new Map<string, Set<string>>()
    for (const o of outcomes) if (o.orderId) byKey.set(o.key, (byKey.get(o.key) ?? new Set()).add(o.orderId))
    for (const ids of byKey.values()) expect(ids.size).toBe(1)
    const kept = await sql(
      stack,
      `SELECT count(*)::int AS n FROM orders o JOIN group_members m ON m.order_id = o.id WHERE m.campaign_id = $1 AND NOT m.leader`,
      [campaignId],
    )
    expect(kept).toEqual([{ n: byKey.size }])
    expect(finalHeld - startHeld).toBe(byKey.size)
  }, 120_000)
})
