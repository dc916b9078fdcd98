/**
 * Coupons whose stock is kept in slots (issue 17, migration 040): a crowd racing for a small stock
 * gets exactly the stock, the last unit turns the rooms 已抢光 once, and the figures read as for a
 * coupon of one row; the per-user limit, a pause, an end, stock and window edits and grants hold
 * against racing claims. The stack gives slots to coupons from a stock of 20 (COUPON_SLOT_MIN_STOCK),
 * so small stocks race; a second host on the same database never gives slots (COUPON_SLOTS=1) and
 * claims the same coupons, as many instances of the backend do.
 */
import pg from 'pg'
import { sql, untilBlockedBy } from '../helpers/mall'
import { liveKit } from '../helpers/live'
import { isClosedSocket, startStack, type Stack } from '../helpers/stack'

let stack: Stack
let other: Stack
let admin: string
const kit = liveKit(
  () => stack,
  () => admin,
)

beforeAll(async () => {
  stack = await startStack({ env: { COUPON_SLOT_MIN_STOCK: '20', COUPON_SLOTS: '8' } })
  other = await startStack({ databaseUrl: stack.databaseUrl, env: { COUPON_SLOTS: '1' } })
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(async () => {
  await other?.stop()
  await stack?.stop()
})

const refusal = (r: { body: any }) => (r.body.ok ? null : r.body.error)
/**
 * A claim; sent once more if a kept-alive socket closed under it before any answer (isClosedSocket):
 * a second copy is safe, one claim per user is the rule the tests race (they send copies anyway).
 */
const claim = (s: Stack, couponId: string, token: string) =>
  s.call('coupon', { action: 'claim', couponId }, token).catch((err) => {
    if (!isClosedSocket(err)) throw err
    return s.call('coupon', { action: 'claim', couponId }, token)
  })
const desk = async (couponId: string) => (await stack.ok('admin', { action: 'coupon', couponId }, admin)).coupon
const slots = (couponId: string) =>
  sql(stack, 'SELECT slot, stock, claimed, open, valid_to FROM coupon_slots WHERE coupon_id = $1 ORDER BY slot', [couponId])
const held = async (couponId: string) =>
  (
    await sql(stack, 'SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS users FROM user_coupons WHERE coupon_id = $1', [couponId])
  )[0]
/** The coupon's row and its slots agree: the slots' stock sums to the coupon's, none past its own. */
async function consistent(couponId: string): Promise<{ stock: number; claimed: number }> {
  const [c] = await sql(stack, 'SELECT stock, claimed, slots FROM coupons WHERE id = $1', [couponId])
  const s = await slots(couponId)
  expect(s).toHaveLength(c.slots)
  expect(c.claimed).toBe(0)
  for (const x of s) expect(x.claimed).toBeLessThanOrEqual(x.stock)
  expect(s.reduce((a, x) => a + x.stock, 0)).toBe(c.stock)
  return { stock: c.stock, claimed: s.reduce((a, x) => a + x.claimed, 0) }
}

test('who gets slots: from the threshold stock, never more slots than units; below it the coupon keeps its own row', async () => {
  const small = await kit.coupon({ stock: 19 })
  const big = await kit.coupon({ stock: 20 })
  expect((await sql(stack, 'SELECT slots FROM coupons WHERE id = $1', [small]))[0].slots).toBe(1)
  expect(await slots(small)).toEqual([])
  expect((await slots(big)).map((s) => s.stock)).toEqual([3, 3, 3, 3, 2, 2, 2, 2])
  // A host that never gives slots makes one-row coupons of any stock.
  const plain = (await other.ok('admin', { ...couponInput, stock: 5000 }, (await other.login('admin')).token)).couponId
  expect((await sql(stack, 'SELECT slots FROM coupons WHERE id = $1', [plain]))[0].slots).toBe(1)
})

const couponInput = { action: 'createCoupon', title: '直播间券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 10, perUserLimit: 1 }

test('2,100 claims racing for 50 units in 8 slots, through two hosts: exactly 50 claimed, the rest refused, the rooms touched once at the last unit', async () => {
  const roomId = await kit.room()
  const couponId = await kit.coupon({ stock: 50 })
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  const crowd = await kit.users(700, 'slot-crowd')
  const [bystander] = await kit.users(1, 'slot-bystander')
  const watchers = crowd.slice(0, 20)
  for (const u of [...watchers, bystander!]) await stack.ok('live', { action: 'enter', roomId }, u.token)
  const watching = await kit.sync(roomId, bystander!.token)
  const [{ version: before }] = await sql(stack, 'SELECT version FROM live_rooms WHERE id = $1', [roomId])

  // Three copies per user, alternately through either host.
  const results = await Promise.all(crowd.flatMap((u, i) => [0, 1, 2].map((k) => claim((i + k) % 2 ? other : stack, couponId, u.token))))
  const ok = results.filter((r) => r.status === 200)
  expect(ok).toHaveLength(50)
  const winners = new Set<string>()
  results.forEach((r, j) => {
    if (r.status === 200) winners.add(crowd[Math.floor(j / 3)]!.token)
  })
  expect(winners.size).toBe(50)
  results.forEach((r, j) => {
    if (r.status === 200) return
    // Over the limit only a user who got one; everyone else: sold out.
    const code = refusal(r).code
    if (winners.has(crowd[Math.floor(j / 3)]!.token)) expect(['COUPON_LIMIT_REACHED', 'COUPON_SOLD_OUT']).toContain(code)
    else expect(code).toBe('COUPON_SOLD_OUT')
  })
  expect(await held(couponId)).toEqual({ n: 50, users: 50 })
  expect(await consistent(couponId)).toEqual({ stock: 50, claimed: 50 })
  for (const s of await slots(couponId)) expect(s.claimed).toBe(s.stock)

  // The last unit moved the room's version once: not per claim, not once per slot emptied.
  const [{ version: after }] = await sql(stack, 'SELECT version FROM live_rooms WHERE id = $1', [roomId])
  expect(after - before).toBe(1)
  const view = (await kit.sync(roomId, bystander!.token, watching.cursor)).room
  expect(view.coupons.find((c: any) => c.couponId === couponId)).toMatchObject({ state: 'sold_out', claimed: 50, stock: 50 })
  // Each watcher's chip: 已领取 for the winners, 已抢光 for the others; the console's figure is the sum.
  for (const w of watchers) {
    const mine = (await kit.sync(roomId, w.token)).room.coupons.find((c: any) => c.couponId === couponId)
    expect(mine.state).toBe(winners.has(w.token) ? 'claimed' : 'sold_out')
  }
  expect((await desk(couponId)).figures.claimed).toBe(50)
  const center = await stack.ok('coupon', { action: 'center' }, bystander!.token)
  expect(center.items.find((c: any) => c.couponId === couponId)).toMatchObject({ claimed: 50, stock: 50, state: 'sold_out' })
}, 240_000)

test('the same user racing 12 copies of a claim on a slotted coupon, limit 3: exactly 3 each', async () => {
  const couponId = await kit.coupon({ stock: 200, perUserLimit: 3 })
  const crowd = await kit.users(10, 'slot-same')
  const results = await Promise.all(
    crowd.flatMap((u) => Array.from({ length: 12 }, (_, k) => claim(k % 2 ? other : stack, couponId, u.token))),
  )
  expect(results.filter((r) => r.status === 200)).toHaveLength(30)
  for (const r of results.filter((x) => x.status !== 200)) expect(refusal(r).code).toBe('COUPON_LIMIT_REACHED')
  const perUser = await sql(stack, 'SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1 GROUP BY user_id', [couponId])
  expect(perUser.map((r) => r.n)).toEqual(Array(10).fill(3))
  expect((await sql(stack, 'SELECT n FROM coupon_claim_counts WHERE coupon_id = $1', [couponId])).map((r) => r.n)).toEqual(
    Array(10).fill(3),
  )
  expect(await consistent(couponId)).toEqual({ stock: 200, claimed: 30 })
}, 60_000)

test('a pause raced against claims on slots: never past the stock, and after the pause nobody gets one; resume reopens every slot', async () => {
  const couponId = await kit.coupon({ stock: 40 })
  const crowd = await kit.users(80, 'slot-pause')
  const claims = crowd.map((u, i) => claim(i % 2 ? other : stack, couponId, u.token))
  const pause = stack.call('admin', { action: 'setCouponStatus', couponId, status: 'paused' }, admin)
  const [results, paused] = await Promise.all([Promise.all(claims), pause])
  expect(paused.status).toBe(200)
  const ok = results.filter((r) => r.status === 200).length
  for (const r of results.filter((x) => x.status !== 200)) expect(['COUPON_PAUSED', 'COUPON_SOLD_OUT']).toContain(refusal(r).code)
  expect(await consistent(couponId)).toEqual({ stock: 40, claimed: ok })
  expect((await held(couponId)).n).toBe(ok)
  expect((await slots(couponId)).every((s) => !s.open)).toBe(true)
  const more = await Promise.all(crowd.map((u) => claim(stack, couponId, u.token)))
  for (const r of more) expect(['COUPON_PAUSED', 'COUPON_LIMIT_REACHED']).toContain(refusal(r).code)
  expect((await consistent(couponId)).claimed).toBe(ok)

  await stack.ok('admin', { action: 'setCouponStatus', couponId, status: 'active' }, admin)
  expect((await slots(couponId)).every((s) => s.open)).toBe(true)
  const [late] = await kit.users(1, 'slot-resumed')
  const resumed = await claim(stack, couponId, late!.token)
  if (ok < 40) expect(resumed.status).toBe(200)
  else expect(refusal(resumed)).toMatchObject({ code: 'COUPON_SOLD_OUT' })
}, 90_000)

test('a claim waiting on a slot the pause holds is refused COUPON_PAUSED once the pause commits, and writes nothing', async () => {
  const couponId = await kit.coupon({ stock: 24 })
  const [u] = await kit.users(1, 'slot-pause-commit')
  // Hold every slot as admin.setCouponStatus holds them (slots first, then the coupon's row).
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  try {
    await db.query('BEGIN')
    await db.query('SELECT 1 FROM coupon_slots WHERE coupon_id = $1 ORDER BY slot FOR UPDATE', [couponId])
    await db.query('UPDATE coupon_slots SET open = false WHERE coupon_id = $1', [couponId])
    await db.query(`UPDATE coupons SET status = 'paused' WHERE id = $1`, [couponId])
    const r = claim(stack, couponId, u!.token)
    await untilBlockedBy(stack, db)
    await db.query('COMMIT')
    expect(refusal(await r)).toMatchObject({ code: 'COUPON_PAUSED' })
  } finally {
    await db.end()
  }
  expect(await held(couponId)).toEqual({ n: 0, users: 0 })
  expect((await sql(stack, 'SELECT count(*)::int AS n FROM coupon_claim_counts WHERE coupon_id = $1', [couponId]))[0].n).toBe(0)
  expect(await consistent(couponId)).toEqual({ stock: 24, claimed: 0 })
})

test('an end closes every slot for good: claims COUPON_ENDED, no resume', async () => {
  const couponId = await kit.coupon({ stock: 30 })
  const [u, v] = await kit.users(2, 'slot-end')
  expect((await claim(stack, couponId, u!.token)).status).toBe(200)
  await stack.ok('admin', { action: 'setCouponStatus', couponId, status: 'ended' }, admin)
  expect(refusal(await claim(other, couponId, v!.token))).toMatchObject({ code: 'COUPON_ENDED' })
  expect(refusal(await stack.call('admin', { action: 'setCouponStatus', couponId, status: 'active' }, admin))).toMatchObject({
    code: 'COUPON_ENDED',
  })
  expect((await slots(couponId)).every((s) => !s.open)).toBe(true)
  expect(await consistent(couponId)).toEqual({ stock: 30, claimed: 1 })
})

test('stock edits raced against claims on slots: never below what was claimed, the slots always summing to the stock', async () => {
  const couponId = await kit.coupon({ stock: 60 })
  const crowd = await kit.users(50, 'slot-edit')
  const [claims, edit] = await Promise.all([
    Promise.all(crowd.map((u, i) => claim(i % 2 ? other : stack, couponId, u.token))),
    (async () => {
      await new Promise((r) => setTimeout(r, 30))
      return stack.call('admin', { action: 'updateCoupon', couponId, stock: 25 }, admin)
    })(),
  ])
  const ok = claims.filter((r) => r.status === 200).length
  const after = await consistent(couponId)
  expect(after.claimed).toBe(ok)
  if (edit.status === 200) {
    expect(after.stock).toBe(25)
    expect(ok).toBeLessThanOrEqual(25)
  } else {
    expect(refusal(edit)).toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(after.stock).toBe(60)
  }
  for (const r of claims.filter((x) => x.status !== 200)) expect(refusal(r).code).toBe('COUPON_SOLD_OUT')
}, 60_000)

test('edits during a rush of claims on slots never deadlock with them: every edit and every claim answers', async () => {
  // A claim holds its coupon's row key-shared (its count's and its coupon's foreign keys) before it
  // takes a slot; an edit holds the slots before it takes the coupon's row: it must not ask for a
  // lock that key-share blocks, or the two wait on each other.
  const couponId = await kit.coupon({ stock: 3000, perUserLimit: 100, confirm: ['MANY_PER_USER'] })
  const crowd = await kit.users(30, 'slot-rush')
  let running = true
  const statuses: number[] = []
  const claimers = crowd.map(async (u, i) => {
    while (running) statuses.push((await claim(i % 2 ? other : stack, couponId, u.token)).status)
  })
  const edits: number[] = []
  for (let i = 0; i < 8; i++) {
    const r = await stack.call('admin', { action: 'updateCoupon', couponId, title: `抢购中 ${i}`, stock: 3000 + i }, admin)
    edits.push(r.status)
  }
  running = false
  await Promise.all(claimers)
  expect(edits).toEqual(Array(8).fill(200))
  expect(statuses.filter((s) => s !== 200)).toEqual([])
  const after = await consistent(couponId)
  expect(after.claimed).toBe(statuses.length)
}, 120_000)

test('a sold-out slotted coupon given more stock: the new units are spread over the slots and claimed again, exactly', async () => {
  const roomId = await kit.room()
  const couponId = await kit.coupon({ stock: 20 })
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  const first = await kit.users(30, 'slot-refill-a')
  expect((await Promise.all(first.map((u) => claim(stack, couponId, u.token)))).filter((r) => r.status === 200)).toHaveLength(20)
  // Lowering to exactly what was claimed is allowed; below it is refused.
  expect(refusal(await stack.call('admin', { action: 'updateCoupon', couponId, stock: 19 }, admin))).toMatchObject({
    code: 'VALIDATION_FAILED',
  })
  await stack.ok('admin', { action: 'updateCoupon', couponId, stock: 20 }, admin)
  await stack.ok('admin', { action: 'updateCoupon', couponId, stock: 36 }, admin)
  // Each slot keeps what it claimed and gets an even share of the 16 left.
  expect((await slots(couponId)).map((s) => s.stock - s.claimed)).toEqual([2, 2, 2, 2, 2, 2, 2, 2])
  const [{ version: before }] = await sql(stack, 'SELECT version FROM live_rooms WHERE id = $1', [roomId])
  const second = await kit.users(60, 'slot-refill-b')
  const results = await Promise.all(second.map((u, i) => claim(i % 2 ? other : stack, couponId, u.token)))
  expect(results.filter((r) => r.status === 200)).toHaveLength(16)
  expect(await consistent(couponId)).toEqual({ stock: 36, claimed: 36 })
  const [{ version: after }] = await sql(stack, 'SELECT version FROM live_rooms WHERE id = $1', [roomId])
  expect(after - before).toBe(1)
  expect((await desk(couponId)).figures.claimed).toBe(36)
}, 90_000)

test('a window edit moves every slot’s end; grants stay outside the stock', async () => {
  const couponId = await kit.coupon({ stock: 40 })
  const validTo = new Date(Date.now() + 3 * 86_400_000)
  await stack.ok('admin', { action: 'updateCoupon', couponId, validTo: validTo.toISOString() }, admin)
  for (const s of await slots(couponId)) expect(new Date(s.valid_to).getTime()).toBe(validTo.getTime())
  const [u, v] = await kit.users(2, 'slot-grant')
  await stack.ok('admin', { action: 'issueCoupon', couponId, userIds: [u!.user.id, v!.user.id], grantKey: 'slot-grant-1' }, admin)
  expect(await consistent(couponId)).toEqual({ stock: 40, claimed: 0 })
  expect((await desk(couponId)).figures).toMatchObject({ claimed: 0, granted: 2 })
  // A granted coupon is no claim: the per-user limit counts claims only, as for a one-row coupon.
  expect((await claim(stack, couponId, u!.token)).status).toBe(200)
  expect((await desk(couponId)).figures).toMatchObject({ claimed: 1, granted: 2 })
})
