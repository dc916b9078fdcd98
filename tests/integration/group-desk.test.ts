/**
 * The group desk's 结束活动 (admin.endGroupCampaign) on real PostgreSQL: an ended campaign opens no
 * group, takes no join and no edit; its forming groups end with it (a group never outlives its
 * campaign); the end raced with opens, joins, a notify, an edit and itself.
 */
import pg from 'pg'
import { jobsFor, type Jobs } from '../helpers/jobs'
import { createProduct, key, payOrder, postNotify, saveAddress, sql } from '../helpers/mall'
import { groupRepo } from '../../cloud/db/repos/group.repo'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

const HOUR = 3_600_000
let stack: Stack
let admin: string

let jobs: Jobs

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  jobs = await jobsFor(stack)
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
  const { token, user } = await stack.login(`gdesk-${++shoppers}-${key().slice(0, 8)}`, nickname)
  const { address } = await saveAddress(stack, token)
  return { token, userId: user.id, addressId: address.id }
}

/** A ¥59 product and a campaign at ¥29 running now (3 people, 1 hour per group) unless told otherwise. */
async function campaign(fields: Record<string, unknown> = {}) {
  const productId = await createProduct(stack, admin, { priceFen: 5900, stock: 200 })
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createGroupCampaign',
      title: '三人团',
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
  return campaignId as string
}

const open = (campaignId: string, s: Shopper) =>
  stack.call('group', { action: 'open', campaignId, addressId: s.addressId, idempotencyKey: key() }, s.token)
const join = (groupId: string, s: Shopper) =>
  stack.call('group', { action: 'join', groupId, addressId: s.addressId, idempotencyKey: key() }, s.token)
const end = (campaignId: string) => stack.call('admin', { action: 'endGroupCampaign', campaignId }, admin)
const update = (campaignId: string, fields: Record<string, unknown>) =>
  stack.call('admin', { action: 'updateGroupCampaign', campaignId, ...fields }, admin)
const code = (r: { body: any }) => (r.body.ok ? 'OK' : r.body.error.code)
const stored = async (campaignId: string) =>
  (
    await sql(stack, `SELECT title, status, group_price_fen, group_size, starts_at, ends_at, ended_at FROM group_campaigns WHERE id = $1`, [
      campaignId,
    ])
  )[0]

/** A leader opens and pays: a forming group. */
async function formed(campaignId: string) {
  const leader = await shopper('团长阿花')
  const opened = await open(campaignId, leader)
  expect(code(opened)).toBe('OK')
  const { orderId, groupId } = (opened.body as any).data
  expect((await payOrder(stack, leader.token, orderId)).answer.code).toBe('SUCCESS')
  return groupId as string
}

test('结束: ended for good at now; opens and joins refused, edits GROUP_CAMPAIGN_ENDED; its forming groups end with it', async () => {
  const campaignId = await campaign()
  const groupId = await formed(campaignId)
  // A friend joined before the end and has not paid yet.
  const friend = await shopper('好友小李')
  const joined = await join(groupId, friend)
  expect(code(joined)).toBe('OK')

  const before = Date.now()
  const ended = (await end(campaignId)).body as any
  expect(ended.ok).toBe(true)
  const c = ended.data.campaign
  expect(c).toMatchObject({ campaignId, status: 'ended', open: false })
  const endedAt = new Date(c.endedAt).getTime()
  expect(endedAt).toBeGreaterThanOrEqual(before - 1000)
  expect(endedAt).toBeLessThanOrEqual(Date.now() + 1000)
  // It was running: its window now ends when it was ended.
  expect(c.endsAt).toBe(c.endedAt)
  expect((await stored(campaignId)).status).toBe('ended')

  // The shopper's side: not listed, no open groups offered, open and join refused.
  expect((await stack.ok('group', { action: 'campaigns' })).items.map((i: any) => i.campaignId)).not.toContain(campaignId)
  expect((await stack.ok('group', { action: 'campaign', campaignId })).groups).toEqual([])
  expect(code(await open(campaignId, await shopper()))).toBe('GROUP_NOT_ACTIVE')
  expect(code(await join(groupId, await shopper()))).toBe('GROUP_NOT_ACTIVE')

  // Every later edit is refused with its code, and nothing changes.
  const row = await stored(campaignId)
  for (const fields of [
    { status: 'active' },
    { status: 'paused' },
    { title: '新名字' },
    { endsAt: new Date(Date.now() + 30 * 24 * HOUR).toISOString() },
  ]) {
    const r = await update(campaignId, fields)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'GROUP_CAMPAIGN_ENDED', message: '拼团活动已结束，不能修改' } })
  }
  expect(await stored(campaignId)).toEqual(row)

  // Ending again answers it as it is: the first end's time.
  const again = (await end(campaignId)).body as any
  expect(again.data.campaign).toMatchObject({ status: 'ended', endedAt: c.endedAt, endsAt: c.endsAt })
  expect(await stored(campaignId)).toEqual(row)

  // The group opened before the end ends with it: its time is up at the end (a group never outlives
  // its campaign), so the friend's payment is refused and the next jobs run refunds the leader.
  const g = (await sql(stack, 'SELECT status, held, paid, expires_at FROM groups WHERE id = $1', [groupId]))[0]
  expect(g).toEqual({ status: 'forming', held: 2, paid: 1, expires_at: new Date(c.endedAt) })
  const friendOrderId = (joined.body as any).data.orderId
  expect(code(await stack.call('order', { action: 'pay', orderId: friendOrderId }, friend.token))).toBe('GROUP_CLOSED')
  const run = await jobs.runAt(new Date(Date.now() + 1_000))
  expect(run.groupsEnded).toBeGreaterThanOrEqual(1)
  expect((await sql(stack, 'SELECT status, paid FROM groups WHERE id = $1', [groupId]))[0]).toEqual({ status: 'failed', paid: 1 })
  expect((await stack.ok('order', { action: 'get', orderId: friendOrderId }, friend.token)).order.status).toBe('cancelled')
  const desk = await stack.ok('admin', { action: 'groupCampaign', campaignId }, admin)
  expect(desk.campaign).toMatchObject({ status: 'ended', groupsOpened: 1, groupsForming: 0, groupsFailed: 1, membersPaid: 1 })
})

describe('a group never outlives its campaign', () => {
  /** A forming group with its leader and `paidFriends` friends paid (size 3, so one seat stays free). */
  async function formingWith(campaignId: string, paidFriends: number) {
    const groupId = await formed(campaignId)
    const members = [] as Shopper[]
    for (let i = 0; i < paidFriends; i++) {
      const f = await shopper('好友小李')
      const j = await join(groupId, f)
      expect(code(j)).toBe('OK')
      expect((await payOrder(stack, f.token, (j.body as any).data.orderId)).answer.code).toBe('SUCCESS')
      members.push(f)
    }
    return groupId
  }
  const orderStatuses = async (groupId: string) =>
    (
      await sql(stack, `SELECT o.status FROM group_members m JOIN orders o ON o.id = m.order_id WHERE m.group_id = $1 ORDER BY o.id`, [
        groupId,
      ])
    ).map((r: any) => r.status)

  test('ended (refund): the forming group says so, and the next jobs run fails it and refunds every paid member', async () => {
    const campaignId = await campaign()
    const groupId = await formingWith(campaignId, 1)
    const leaderView = await stack.ok('group', { action: 'get', groupId }, admin)
    expect(leaderView.campaign.status).toBe('active')
    expect(code(await end(campaignId))).toBe('OK')
    const seen = await stack.ok('group', { action: 'get', groupId }, admin)
    expect(seen).toMatchObject({ status: 'forming', canJoin: false, campaign: { status: 'ended', open: false, onExpiry: 'refund' } })
    await jobs.runAt(new Date(Date.now() + 1_000))
    expect((await sql(stack, 'SELECT status, paid FROM groups WHERE id = $1', [groupId]))[0]).toEqual({ status: 'failed', paid: 2 })
    expect(await orderStatuses(groupId)).toEqual(['refunded', 'refunded'])
  })

  test('ended (complete): the next jobs run completes the group with those who paid', async () => {
    const campaignId = await campaign({ onExpiry: 'complete' })
    const groupId = await formingWith(campaignId, 1)
    expect(code(await end(campaignId))).toBe('OK')
    await jobs.runAt(new Date(Date.now() + 1_000))
    expect((await sql(stack, 'SELECT status, paid FROM groups WHERE id = $1', [groupId]))[0]).toEqual({ status: 'succeeded', paid: 2 })
    expect(await orderStatuses(groupId)).toEqual(['paid', 'paid'])
  })

  test('a group forming near the campaign’s end expires at the end; an end time moved earlier caps the forming groups', async () => {
    const endsAt = new Date(Date.now() + 20 * 60_000)
    const campaignId = await campaign({ endsAt: endsAt.toISOString() })
    const groupId = await formed(campaignId)
    // 1-hour groups, 20 minutes of campaign left: the group's clock stops at the campaign's end.
    expect((await sql(stack, 'SELECT expires_at FROM groups WHERE id = $1', [groupId]))[0].expires_at).toEqual(endsAt)
    const other = await campaign()
    const g2 = await formed(other)
    const earlier = new Date(Date.now() + 10 * 60_000)
    expect(code(await update(other, { endsAt: earlier.toISOString() }))).toBe('OK')
    expect((await sql(stack, 'SELECT expires_at FROM groups WHERE id = $1', [g2]))[0].expires_at).toEqual(earlier)
    // A later end time moves nothing back: the group keeps its own (earlier) clock.
    expect(code(await update(other, { endsAt: new Date(Date.now() + 5 * 24 * HOUR).toISOString() }))).toBe('OK')
    expect((await sql(stack, 'SELECT expires_at FROM groups WHERE id = $1', [g2]))[0].expires_at).toEqual(earlier)
    // The campaign's window passing ends the group at the jobs run after it.
    await jobs.runAt(new Date(endsAt.getTime() + 1_000))
    expect((await sql(stack, 'SELECT status FROM groups WHERE id = $1', [groupId]))[0].status).toBe('failed')
    expect(await orderStatuses(groupId)).toEqual(['refunded'])
  })

  test('END RACED with a member’s notify: counted before the end and refunded with the group, or refunded at once; never paid in an ended group', async () => {
    for (let round = 0; round < 4; round++) {
      const campaignId = await campaign()
      const groupId = await formed(campaignId)
      const friend = await shopper('好友小李')
      const j = await join(groupId, friend)
      const orderId = (j.body as any).data.orderId
      const { payment } = await stack.ok('order', { action: 'pay', orderId }, friend.token)
      const [paid, ended] = await Promise.all([postNotify(payment.notifyUrl, payment.body), end(campaignId)])
      expect(code(ended)).toBe('OK')
      expect(paid.answer.code).toBe('SUCCESS')
      await jobs.runAt(new Date(Date.now() + 1_000))
      const g = (await sql(stack, 'SELECT status FROM groups WHERE id = $1', [groupId]))[0]
      expect(g.status).toBe('failed')
      // Either way the friend's money goes back and the leader's too.
      expect(await orderStatuses(groupId)).toEqual(['refunded', 'refunded'])
    }
  }, 60_000)
})

test('an upcoming campaign ended keeps its window and never opens', async () => {
  const startsAt = new Date(Date.now() + 24 * HOUR).toISOString()
  const endsAt = new Date(Date.now() + 48 * HOUR).toISOString()
  const campaignId = await campaign({ startsAt, endsAt })
  const c = ((await end(campaignId)).body as any).data.campaign
  expect(c).toMatchObject({ status: 'ended', startsAt, endsAt, open: false })
  expect(c.endedAt).not.toBeNull()
  expect(code(await open(campaignId, await shopper()))).toBe('GROUP_NOT_ACTIVE')
  // A paused one can be ended too (and then not resumed).
  const paused = await campaign({ status: 'paused' })
  expect(((await end(paused)).body as any).data.campaign.status).toBe('ended')
  expect(code(await update(paused, { status: 'active' }))).toBe('GROUP_CAMPAIGN_ENDED')
})

test('END RACED with opens and joins: no group opens after the end commits, the ones before stand; joins after it are refused', async () => {
  const campaignId = await campaign({ groupSize: 10 })
  const groupId = await formed(campaignId)
  // Opens and joins on both sides of the end in the batch (which lands first is the database's call).
  const O = 5
  const J = 3
  const [openers, joiners] = await Promise.all([
    Promise.all(Array.from({ length: 2 * O }, () => shopper())),
    Promise.all(Array.from({ length: 2 * J }, () => shopper())),
  ])
  const answers = await Promise.all([
    ...openers.slice(0, O).map((s) => open(campaignId, s)),
    ...joiners.slice(0, J).map((s) => join(groupId, s)),
    end(campaignId),
    ...openers.slice(O).map((s) => open(campaignId, s)),
    ...joiners.slice(J).map((s) => join(groupId, s)),
  ])
  const ended = answers[O + J]!
  expect(code(ended)).toBe('OK')
  // opens[i] is openers[i]'s call, joins[i] joiners[i]'s.
  const opens = [...answers.slice(0, O), ...answers.slice(O + J + 1, 2 * O + J + 1)]
  const joins = [...answers.slice(O, O + J), ...answers.slice(2 * O + J + 1)]
  for (const a of opens) expect(['OK', 'GROUP_NOT_ACTIVE']).toContain(code(a))
  // A join after the end is refused for the campaign, or for its group, which the end ended with it
  // (its time set to the end's): whichever the join reads first.
  for (const a of joins) expect(['OK', 'GROUP_NOT_ACTIVE', 'GROUP_CLOSED']).toContain(code(a))

  // Exactly the opens answered OK have a group (and the pre-formed one); every one of them opened
  // before the end took the campaign's row: its opening time is not after the end's.
  const okOpens = opens.filter((a) => code(a) === 'OK').map((a) => (a.body as any).data.groupId as string)
  const groups = await sql(stack, `SELECT id, opened_at FROM groups WHERE campaign_id = $1 AND id <> $2`, [campaignId, groupId])
  expect(groups.map((g: any) => g.id).sort()).toEqual([...okOpens].sort())
  const { ended_at } = await stored(campaignId)
  for (const g of groups) expect(new Date(g.opened_at).getTime()).toBeLessThanOrEqual(new Date(ended_at).getTime())
  // The seats held are the leader's and the joins answered OK.
  const okJoins = joins.filter((a) => code(a) === 'OK').length
  expect((await sql(stack, 'SELECT held FROM groups WHERE id = $1', [groupId]))[0].held).toBe(1 + okJoins)

  // After the end's answer, nothing opens or joins.
  const late = await Promise.all([open(campaignId, await shopper()), join(groupId, await shopper())])
  expect(code(late[0]!)).toBe('GROUP_NOT_ACTIVE')
  expect(['GROUP_NOT_ACTIVE', 'GROUP_CLOSED']).toContain(code(late[1]!))
  expect((await sql(stack, 'SELECT held FROM groups WHERE id = $1', [groupId]))[0].held).toBe(1 + okJoins)
  // A group opened before the end and not paid by its leader is never formed: the payment is refused.
  if (okOpens.length > 0) {
    const i = opens.findIndex((a) => code(a) === 'OK')
    const paid = await stack.call('order', { action: 'pay', orderId: (opens[i]!.body as any).data.orderId }, openers[i]!.token)
    expect(code(paid)).toBe('GROUP_CLOSED')
    expect((await sql(stack, 'SELECT status FROM groups WHERE id = $1', [okOpens[0]]))[0].status).toBe('pending')
  }
}, 60_000)

test('opens in flight when the end comes finish first (the end waits for them); their groups stand', async () => {
  const campaignId = await campaign()
  const [{ sku_id: skuId }] = await sql(stack, 'SELECT sku_id FROM group_campaigns WHERE id = $1', [campaignId])
  const openers = await Promise.all([shopper(), shopper(), shopper()])
  // Hold the SKU's row: each open has read the campaign and then waits to take its unit.
  const holder = new pg.Client({ connectionString: stack.databaseUrl })
  await holder.connect()
  const waiting = async () =>
    (await sql(stack, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`))[0]
      .n as number
  try {
    await holder.query('BEGIN')
    await holder.query('SELECT 1 FROM skus WHERE id = $1 FOR UPDATE', [skuId])
    const opens = openers.map((s) => open(campaignId, s))
    await until(async () => (await waiting()) >= 3)
    let endAnswered = false
    const ending = end(campaignId).then((r) => {
      endAnswered = true
      return r
    })
    // The end queues behind the opens (their hold on the campaign's row), never past them.
    await until(async () => endAnswered || (await waiting()) >= 4)
    expect(endAnswered).toBe(false)
    await holder.query('COMMIT')
    const answers = await Promise.all(opens)
    expect(answers.map(code)).toEqual(['OK', 'OK', 'OK'])
    expect(code(await ending)).toBe('OK')
    const { ended_at } = await stored(campaignId)
    const groups = await sql(stack, 'SELECT opened_at FROM groups WHERE campaign_id = $1', [campaignId])
    expect(groups).toHaveLength(3)
    for (const g of groups) expect(new Date(g.opened_at).getTime()).toBeLessThanOrEqual(new Date(ended_at).getTime())
    expect(code(await open(campaignId, await shopper()))).toBe('GROUP_NOT_ACTIVE')
  } finally {
    await holder.end()
  }
}, 60_000)

test('ended twice at once: one answer (the same endedAt for every call), one state', async () => {
  const campaignId = await campaign()
  const answers = await Promise.all(Array.from({ length: 4 }, () => end(campaignId)))
  expect(answers.map(code)).toEqual(['OK', 'OK', 'OK', 'OK'])
  const endedAts = new Set(answers.map((a) => (a.body as any).data.campaign.endedAt))
  expect(endedAts.size).toBe(1)
  const row = await stored(campaignId)
  expect(row.status).toBe('ended')
  expect(new Date(row.ended_at).toISOString()).toBe([...endedAts][0])
})

test('an edit raced with the end lands before it or is refused; the campaign ends either way', async () => {
  const campaignId = await campaign()
  const [edit, ended] = await Promise.all([update(campaignId, { title: '改过的名字' }), end(campaignId)])
  expect(code(ended)).toBe('OK')
  expect(['OK', 'GROUP_CAMPAIGN_ENDED']).toContain(code(edit))
  const row = await stored(campaignId)
  expect(row.status).toBe('ended')
  expect(row.title).toBe(code(edit) === 'OK' ? '改过的名字' : '三人团')
})

test('bad input: clear codes, nothing changes', async () => {
  const campaignId = await campaign()
  const row = await stored(campaignId)
  // Ending is its own action: update takes no status 'ended', create neither.
  expect(code(await update(campaignId, { status: 'ended' }))).toBe('VALIDATION_FAILED')
  expect(code(await end('gc_nope'))).toBe('NOT_FOUND')
  expect(code(await stack.call('admin', { action: 'endGroupCampaign' }, admin))).toBe('VALIDATION_FAILED')
  const productId = await createProduct(stack, admin, { priceFen: 5900, stock: 10 })
  const created = await stack.call(
    'admin',
    {
      action: 'createGroupCampaign',
      productId,
      groupPriceFen: 2900,
      groupSize: 2,
      groupHours: 1,
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + HOUR).toISOString(),
      onExpiry: 'refund',
      status: 'ended',
    },
    admin,
  )
  expect(code(created)).toBe('VALIDATION_FAILED')
  // A shopper is not staff.
  expect(code(await stack.call('admin', { action: 'endGroupCampaign', campaignId }, (await shopper()).token))).toBe('FORBIDDEN')
  expect(await stored(campaignId)).toEqual(row)
})

const deadlocks = async () =>
  Number((await sql(stack, 'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()'))[0].deadlocks)

test('the desk holds the campaign row while a join takes its seat, then pauses: no deadlock, the join lands before the pause', async () => {
  const campaignId = await campaign()
  const groupId = await formed(campaignId)
  const friend = await shopper('好友')
  const before = await deadlocks()
  // The desk's own repo steps (updateGroupCampaign: campaignLocked, then updateCampaign), in a
  // transaction held open on a connection of the test's, a join sent in between.
  const conn = new pg.Client({ connectionString: stack.databaseUrl })
  await conn.connect()
  const desk = groupRepo(conn)
  try {
    await conn.query('BEGIN')
    expect(await desk.campaignLocked(campaignId)).toMatchObject({ id: campaignId })
    const joining = join(groupId, friend)
    // The join takes its seat on the group's row and inserts its member row, whose key reference
    // to the campaign does not wait for the desk's lock: it commits while the desk holds the row.
    const seated = await until(
      async () => Number((await sql(stack, 'SELECT held FROM groups WHERE id = $1', [groupId]))[0].held) === 2,
      5_000,
    )
      .then(() => true)
      .catch(() => false)
    // The desk's update fires the 047 trigger, which locks the campaign's unfinished groups.
    const updating = desk.updateCampaign(campaignId, { status: 'paused' })
    const [r, done] = await Promise.all([joining, updating])
    await conn.query('COMMIT')
    expect(seated).toBe(true)
    expect(done).toBe('ok')
    expect(code(r)).toBe('OK')
  } finally {
    await conn.end()
  }
  expect(await deadlocks()).toBe(before)
  expect((await stored(campaignId)).status).toBe('paused')
  expect((await sql(stack, 'SELECT held FROM groups WHERE id = $1', [groupId]))[0].held).toBe(2)
  // The pause holds from here on: the next join is refused.
  expect(code(await join(groupId, await shopper()))).toBe('GROUP_NOT_ACTIVE')
}, 60_000)

test('a campaign whose window has passed is ended: no edit revives it; ending it records when it ended', async () => {
  const campaignId = await campaign()
  const formedGroup = await formed(campaignId)
  await sql(stack, `UPDATE group_campaigns SET ends_at = now() - interval '1 hour' WHERE id = $1`, [campaignId])
  const row = await stored(campaignId)
  for (const fields of [
    { endsAt: new Date(Date.now() + 48 * HOUR).toISOString() },
    { status: 'active' },
    { status: 'paused' },
    { title: '复活' },
  ]) {
    expect((await update(campaignId, fields)).body).toMatchObject({ ok: false, error: { code: 'GROUP_CAMPAIGN_ENDED' } })
  }
  expect(await stored(campaignId)).toEqual(row)
  expect(code(await open(campaignId, await shopper()))).toBe('GROUP_NOT_ACTIVE')
  expect(code(await join(formedGroup, await shopper()))).toBe('GROUP_NOT_ACTIVE')

  // 结束活动 afterwards: it ended when its window did, not now.
  const ended = (await end(campaignId)).body as any
  expect(ended.data.campaign).toMatchObject({ status: 'ended', endsAt: row.ends_at.toISOString(), endedAt: row.ends_at.toISOString() })
  expect(await stored(campaignId)).toMatchObject({ status: 'ended', ends_at: row.ends_at, ended_at: row.ends_at })
})

test('edits raced with the window running out: those sent after it ran out are refused, never a revival', async () => {
  const campaignId = await campaign()
  await sql(stack, `UPDATE group_campaigns SET ends_at = now() + interval '300 milliseconds' WHERE id = $1`, [campaignId])
  const windowEnd = (await stored(campaignId)).ends_at.getTime()
  // Title edits one every 80 ms across the window's end (the last two the same body: a double submit).
  const titles = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      new Promise((r) => setTimeout(r, i * 80)).then(async () => {
        const sentAt = Date.now()
        return { sentAt, r: await update(campaignId, { title: `三人团 ${Math.min(i, 6)}` }) }
      }),
    ),
  )
  for (const { sentAt, r } of titles) {
    expect(['OK', 'GROUP_CAMPAIGN_ENDED']).toContain(code(r))
    if (sentAt > windowEnd + 50) expect(code(r)).toBe('GROUP_CAMPAIGN_ENDED')
  }
  // Then a later end and a resume, raced (each twice): all refused; the window stays as it ran out.
  await until(() => Date.now() > windowEnd + 50)
  const later = new Date(Date.now() + 48 * HOUR).toISOString()
  const revivals = await Promise.all([
    update(campaignId, { endsAt: later }),
    update(campaignId, { endsAt: later }),
    update(campaignId, { status: 'active', endsAt: later }),
    update(campaignId, { status: 'active', endsAt: later }),
  ])
  expect(revivals.map(code)).toEqual(Array(4).fill('GROUP_CAMPAIGN_ENDED'))
  expect((await stored(campaignId)).ends_at.getTime()).toBe(windowEnd)
  expect(code(await open(campaignId, await shopper()))).toBe('GROUP_NOT_ACTIVE')
})

describe('the leader pays only while the campaign opens groups', () => {
  async function pending(campaignId: string) {
    const leader = await shopper('团长')
    const opened = (await open(campaignId, leader)).body as any
    expect(opened.ok).toBe(true)
    return { leader, orderId: opened.data.orderId as string, groupId: opened.data.groupId as string }
  }
  const pay = (s: Shopper, orderId: string) => stack.call('order', { action: 'pay', orderId }, s.token)

  test('ended (by the desk or by time): the payment is refused, the group stays unformed', async () => {
    const byDesk = await campaign()
    const a = await pending(byDesk)
    expect(code(await end(byDesk))).toBe('OK')
    expect((await pay(a.leader, a.orderId)).body).toMatchObject({
      ok: false,
      error: { code: 'GROUP_CLOSED', message: '拼团活动已结束，该团不能再支付' },
    })
    const byTime = await campaign()
    const b = await pending(byTime)
    await sql(stack, `UPDATE group_campaigns SET ends_at = now() - interval '1 second' WHERE id = $1`, [byTime])
    expect(code(await pay(b.leader, b.orderId))).toBe('GROUP_CLOSED')
    for (const g of [a.groupId, b.groupId]) {
      expect((await sql(stack, 'SELECT status, paid FROM groups WHERE id = $1', [g]))[0]).toEqual({ status: 'pending', paid: 0 })
    }
  })

  test('paused: refused while paused, payable again once resumed', async () => {
    const campaignId = await campaign()
    const p = await pending(campaignId)
    expect(code(await update(campaignId, { status: 'paused' }))).toBe('OK')
    expect((await pay(p.leader, p.orderId)).body).toMatchObject({
      ok: false,
      error: { code: 'GROUP_CLOSED', message: '拼团活动已暂停，该团暂不能支付' },
    })
    expect(code(await update(campaignId, { status: 'active' }))).toBe('OK')
    expect((await payOrder(stack, p.leader.token, p.orderId)).answer.code).toBe('SUCCESS')
    expect((await sql(stack, 'SELECT status, paid FROM groups WHERE id = $1', [p.groupId]))[0]).toEqual({ status: 'forming', paid: 1 })
  })

  test('a payment asked for before the end and arriving after it is refunded at once; the group never forms', async () => {
    const campaignId = await campaign()
    const p = await pending(campaignId)
    const { payment } = await stack.ok('order', { action: 'pay', orderId: p.orderId }, p.leader.token)
    expect(code(await end(campaignId))).toBe('OK')
    const paid = await postNotify(payment.notifyUrl, payment.body)
    expect(paid.answer).toMatchObject({ code: 'SUCCESS', message: 'refunded_group_ended' })
    const o = await stack.ok('order', { action: 'get', orderId: p.orderId }, p.leader.token)
    expect(o.order.status).toBe('refunded')
    const g = (await sql(stack, 'SELECT status, paid FROM groups WHERE id = $1', [p.groupId]))[0]
    expect(g).toEqual({ status: 'cancelled', paid: 0 })
    expect(code(await join(p.groupId, await shopper()))).not.toBe('OK')
  })

  test('the notify raced with the end: the group forms (the end came after) or the money goes back, never a forming group of an ended campaign', async () => {
    for (let round = 0; round < 4; round++) {
      const campaignId = await campaign()
      const p = await pending(campaignId)
      const { payment } = await stack.ok('order', { action: 'pay', orderId: p.orderId }, p.leader.token)
      const [paid, ended] = await Promise.all([postNotify(payment.notifyUrl, payment.body), end(campaignId)])
      expect(code(ended)).toBe('OK')
      const endedAt = new Date((ended.body as any).data.campaign.endedAt).getTime()
      const g = (await sql(stack, 'SELECT status, paid, formed_at FROM groups WHERE id = $1', [p.groupId]))[0]
      const o = await stack.ok('order', { action: 'get', orderId: p.orderId }, p.leader.token)
      if (paid.answer.message === 'refunded_group_ended') {
        expect(o.order.status).toBe('refunded')
        expect(g.paid).toBe(0)
      } else {
        expect(paid.answer.code).toBe('SUCCESS')
        expect(o.order.status).toBe('paid')
        expect(g).toMatchObject({ status: 'forming', paid: 1 })
        expect(g.formed_at.getTime()).toBeLessThanOrEqual(endedAt)
      }
    }
  }, 60_000)
})
