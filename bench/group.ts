/**
 * 拼团 joins against raw SQL: friends joining groups through the HTTP API (group.join: a group order
 * and its seat, taken by one conditional UPDATE on the group's row) with 64 concurrent clients, beside
 * that raw UPDATE on the same database, measured in the same run. Two cases: many friends joining many
 * groups of one campaign (the seats spread over the groups' rows), and the hot case, a crowd on one
 * group's seats (one row: all but the seats left are refused GROUP_FULL, before paying). Each run ends
 * by checking that no group holds more seats than its size.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { saveAddress } from '../tests/helpers/mall'
import type { Stack } from '../tests/helpers/stack'
import { CONCURRENCY, cpuPer, drive, withCpu, type Row } from './lib'

const GROUPS = Number(process.env.BENCH_GROUPS ?? 100)
/** Seats per group (the rules' largest group): the leader holds one, friends take the rest. */
const SIZE = 10
const HOT_FRIENDS = Number(process.env.BENCH_GROUP_HOT ?? 1000)

type Run = Awaited<ReturnType<typeof drive>>
const latency = (r: Run) => `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`

interface Shopper {
  token: string
  addressId: string
}

async function shoppers(stack: Stack, prefix: string, n: number): Promise<Shopper[]> {
  const out: Shopper[] = []
  for (let i = 0; i < n; i += CONCURRENCY) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, n - i) }, async (_, j) => {
        const { token } = await stack.login(`${prefix}-${i + j}`)
        const { address } = await saveAddress(stack, token)
        return { token, addressId: address.id as string }
      }),
    )
    out.push(...batch)
  }
  return out
}

/** Opens `n` groups of the campaign, each leader paying through the sandbox: forming groups to join. */
async function openGroups(stack: Stack, campaignId: string, leaders: Shopper[]): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < leaders.length; i += CONCURRENCY) {
    const batch = await Promise.all(
      leaders.slice(i, i + CONCURRENCY).map(async (l) => {
        const opened = await stack.ok(
          'group',
          { action: 'open', campaignId, addressId: l.addressId, idempotencyKey: randomUUID() },
          l.token,
        )
        const { payment } = await stack.ok('order', { action: 'pay', orderId: opened.orderId }, l.token)
        const res = await fetch(payment.notifyUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payment.body),
        })
        if (res.status !== 200) throw new Error(`leader's payment refused: ${res.status}`)
        return opened.groupId as string
      }),
    )
    ids.push(...batch)
  }
  return ids
}

export async function benchGroupJoins(stack: Stack): Promise<Row[]> {
  const admin = (await stack.login('admin')).token
  const friendsMany = GROUPS * (SIZE - 1)
  const extra = Math.round(friendsMany / 10)
  const { productId } = await stack.ok('admin', { action: 'createProduct', title: '压测拼团茶', priceFen: 5900, stock: 1_000_000 }, admin)
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createGroupCampaign',
      productId,
      groupPriceFen: 2900,
      groupSize: SIZE,
      groupHours: 72,
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      onExpiry: 'refund',
    },
    admin,
  )
  const leaders = await shoppers(stack, 'bench-group-leader', GROUPS + 1)
  const groups = await openGroups(stack, campaignId, leaders)
  const hotGroup = groups.pop()!
  const friends = await shoppers(stack, 'bench-group-friend', friendsMany + extra)
  const hotFriends = await shoppers(stack, 'bench-group-hot', HOT_FRIENDS)

  // Many groups: each friend joins one group (round robin), the last tenth finds its group full.
  let next = 0
  const outcomes = new Map<string, number>()
  const count = (code: string) => outcomes.set(code, (outcomes.get(code) ?? 0) + 1)
  const joinAs = async (s: Shopper, groupId: string) => {
    const r = await stack.call('group', { action: 'join', groupId, addressId: s.addressId, idempotencyKey: randomUUID() }, s.token)
    count(r.body.ok ? 'OK' : r.body.error.code)
  }
  const { result: many, cpu: manyCpu } = await withCpu(stack.pid, () =>
    drive(friends.length, CONCURRENCY, async () => {
      const i = next++
      await joinAs(friends[i]!, groups[i % GROUPS]!)
    }),
  )
  const manyOk = outcomes.get('OK') ?? 0
  const manyFull = outcomes.get('GROUP_FULL') ?? 0
  outcomes.clear()

  // The hot case: a crowd on one group's seats.
  next = 0
  const { result: hot, cpu: hotCpu } = await withCpu(stack.pid, () =>
    drive(hotFriends.length, CONCURRENCY, async () => {
      await joinAs(hotFriends[next++]!, hotGroup)
    }),
  )
  const hotOk = outcomes.get('OK') ?? 0
  const hotFull = outcomes.get('GROUP_FULL') ?? 0

  // The raw statement doing the seat's work, on rows of the same table, from as many connections.
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: CONCURRENCY })
  const leaderId = (await pool.query('SELECT leader_id FROM groups WHERE id = $1', [hotGroup])).rows[0].leader_id as string
  const rawIds: string[] = []
  for (let i = 0; i <= GROUPS; i++) {
    const { rows } = await pool.query(
      `INSERT INTO groups (id, campaign_id, leader_id, size, hours, price_fen, on_expiry, status, opened_at, formed_at, expires_at, paid)
       VALUES ($1, $2, $3, $4, 72, 2900, 'refund', 'forming', now(), now(), now() + interval '1 day', 1) RETURNING id`,
      [`g_raw${String(i).padStart(12, '0')}`, campaignId, leaderId, SIZE],
    )
    rawIds.push(rows[0].id)
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, () => pool.query('SELECT 1')))
  const take = (id: string) =>
    pool.query(`UPDATE groups SET held = held + 1 WHERE id = $1 AND status = 'forming' AND expires_at > now() AND held < size`, [id])
  next = 0
  const { result: rawMany, cpu: rawManyCpu } = await withCpu(undefined, () =>
    drive(friends.length, CONCURRENCY, async () => {
      await take(rawIds[next++ % GROUPS]!)
    }),
  )
  const rawHotId = rawIds[GROUPS]!
  const { result: rawHot, cpu: rawHotCpu } = await withCpu(undefined, () =>
    drive(hotFriends.length, CONCURRENCY, async () => {
      await take(rawHotId)
    }),
  )
  const over = (await pool.query(`SELECT count(*)::int AS n FROM groups WHERE campaign_id = $1 AND held > size`, [campaignId])).rows[0].n
  const members = (
    await pool.query(`SELECT count(*)::int AS n FROM group_members WHERE campaign_id = $1 AND status IN ('held', 'paid')`, [campaignId])
  ).rows[0].n
  await pool.end()
  const seats = GROUPS * (SIZE - 1)
  if (over !== 0 || manyOk !== seats || hotOk !== SIZE - 1 || members !== GROUPS + 1 + seats + SIZE - 1)
    throw new Error(`group seat check failed: over ${over}, many ok ${manyOk}/${seats}, hot ok ${hotOk}, members ${members}`)
  const ratio = (api: Run, raw: Run) => `${((api.perSecond / raw.perSecond) * 100).toFixed(1)} %`
  return [
    {
      name: `group.join via HTTP API, ${GROUPS} groups of ${SIZE}`,
      value: `${many.perSecond.toFixed(0)} joins/s`,
      note: `${latency(many)}; ${manyOk} seats taken of ${seats}, ${manyFull} refused GROUP_FULL, 0 over size; ${cpuPer(manyCpu, friends.length)}`,
    },
    {
      name: `raw conditional UPDATE on ${GROUPS} group rows (same DB)`,
      value: `${rawMany.perSecond.toFixed(0)} updates/s`,
      note: `${latency(rawMany)}; ${cpuPer(rawManyCpu, friends.length)}`,
    },
    {
      name: 'ratio API / raw, many groups',
      value: ratio(many, rawMany),
      note: 'each join: session, group and campaign reads, the order with its line and rate token, the seat, the stock and COMMIT',
    },
    {
      name: `group.join via HTTP API, ${HOT_FRIENDS} friends on one group`,
      value: `${hot.perSecond.toFixed(0)} joins/s`,
      note: `${latency(hot)}; ${hotOk} seats taken, ${hotFull} refused GROUP_FULL before paying; ${cpuPer(hotCpu, hotFriends.length)}`,
    },
    {
      name: 'raw conditional UPDATE on one group row (same DB)',
      value: `${rawHot.perSecond.toFixed(0)} updates/s`,
      note: `${latency(rawHot)}; ${cpuPer(rawHotCpu, hotFriends.length)}`,
    },
    {
      name: 'ratio API / raw, one group',
      value: ratio(hot, rawHot),
      note: 'a refused join rolls its order back: the whole transaction, nothing kept',
    },
  ]
}

export const GROUP_NOTES = `Friends join through the HTTP API with their own sessions and addresses (64 clients): group.join
reads the group and its campaign, then places a group order (order.create's one transaction: the
buyer's unpaid orders under their lock, the SKU and attribution reads, the order with its line and
rate token, then the seat, then the stock as the last statement sent with COMMIT). The seat is one
conditional UPDATE on the group's row (forming, not past its time, held < size, its campaign active
and in its window, read without a lock) that inserts the member's seat in the same statement (one seat
per person per group and one unfinished seat per campaign: partial unique keys), sent in one round trip
with a second read of the campaign (a pause or end committed meanwhile refuses the join). "Many groups" spreads the friends round robin over the campaign's
forming groups of 10 (9 seats each after the leader), the extra tenth finding them full; "one group"
is the hot case, a crowd on one group's 9 seats, all but 9 refused GROUP_FULL before paying (their
order rolled back). The raw rows are the same UPDATE alone from 64 connections on rows of the same
table. The check after each run: exactly the seats there were taken, no group above its size.`
