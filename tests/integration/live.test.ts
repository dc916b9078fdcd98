/** Live rooms on a real PostgreSQL: first-entry credits under a race, an exact leaderboard, a verifiable lottery. */
import { createHash } from 'node:crypto'
import { liveKit } from '../helpers/live'
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack({ env: { JOB_INTERVAL_MS: '200' } })
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const kit = liveKit(
  () => stack,
  () => admin,
)
const room = (status: 'upcoming' | 'live' = 'live') => kit.room(status, { title: '春茶品鉴直播' })
const users = (n: number, prefix: string) => Promise.all(Array.from({ length: n }, (_, i) => stack.login(`${prefix}-${i}`)))
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')

test('200 viewers each entering through two sharers at once credit exactly 200 times, once per viewer', async () => {
  const roomId = await room()
  const [a, b] = await users(2, 'sharer')
  const viewers = await users(200, 'viewer')
  const results = await Promise.all(
    viewers.flatMap((v) => [a!, b!].map((s) => stack.call('live', { action: 'enter', roomId, sharerId: s.user.id }, v.token))),
  )
  expect(results.every((r) => r.status === 200)).toBe(true)
  expect(results.filter((r) => (r.body as any).data.credited)).toHaveLength(200)
  const [{ n }] = await sql(stack, 'SELECT count(*)::int AS n FROM share_records WHERE room_id = $1', [roomId])
  expect(n).toBe(200)
  const board = await stack.ok('live', { action: 'leaderboard', roomId }, a!.token)
  const counts = await sql(stack, 'SELECT sharer_id, count(*)::int AS n FROM share_records WHERE room_id = $1 GROUP BY sharer_id', [roomId])
  expect(board.entries.map((e: any) => [e.userId, e.invites]).sort()).toEqual(counts.map((c) => [c.sharer_id, c.n]).sort())
  expect(board.entries.reduce((s: number, e: any) => s + e.invites, 0)).toBe(200)
}, 120_000)

test('a second entry, a self-share or an unknown sharer never credits', async () => {
  const roomId = await room()
  const [s, v] = await users(2, 'once')
  expect((await stack.ok('live', { action: 'enter', roomId, sharerId: s!.user.id }, s!.token)).credited).toBe(false) // self
  expect((await stack.ok('live', { action: 'enter', roomId, sharerId: 'u_nobody' }, v!.token)).credited).toBe(false) // unknown, and v has now entered
  expect((await stack.ok('live', { action: 'enter', roomId, sharerId: s!.user.id }, v!.token)).credited).toBe(false) // not the first entry
  expect(await sql(stack, 'SELECT 1 FROM share_records WHERE room_id = $1', [roomId])).toHaveLength(0)
})

test('the leaderboard ranks by invites, ties by who reached the count first, with my rank; a credit shows in sync within 2 s', async () => {
  const roomId = await room()
  const [x, y, z] = await users(3, 'rank')
  const viewers = await users(5, 'rank-viewer')
  const enter = (v: number, s: typeof x) => stack.ok('live', { action: 'enter', roomId, sharerId: s!.user.id }, viewers[v]!.token)
  await enter(0, y) // y reaches 1 first
  await enter(1, x) // x reaches 1 second
  await enter(2, z)
  await enter(3, z) // z reaches 2
  const first = await stack.ok('live', { action: 'sync', roomId }, x!.token)
  const board = await stack.ok('live', { action: 'leaderboard', roomId }, x!.token)
  expect(board.entries.map((e: any) => [e.rank, e.userId, e.invites])).toEqual([
    [1, z!.user.id, 2],
    [2, y!.user.id, 1],
    [3, x!.user.id, 1],
  ])
  expect(board.me).toEqual({ rank: 3, invites: 1 })
  const outsider = (await users(1, 'rank-outsider'))[0]!
  expect((await stack.ok('live', { action: 'leaderboard', roomId }, outsider.token)).me).toEqual({ rank: null, invites: 0 })

  const t0 = Date.now()
  await enter(4, x) // x reaches 2 after z: still behind z
  const next = await stack.ok('live', { action: 'sync', roomId, since: first.cursor }, x!.token)
  expect(next.leaderboardVersion).toBe(5)
  expect(Date.now() - t0).toBeLessThan(2000)
  // The room page asks with the version its poll saw: the board it gets holds that credit.
  const after = await stack.ok('live', { action: 'leaderboard', roomId, version: next.leaderboardVersion }, x!.token)
  expect(after.me).toEqual({ rank: 2, invites: 2 })
  expect(after.version).toBe(5)
})

test('sync answers only what changed; an unchanged answer is a few bytes', async () => {
  const roomId = await room()
  const [v, w] = await users(2, 'sync')
  await stack.ok('live', { action: 'enter', roomId }, v!.token)
  const first = await stack.ok('live', { action: 'sync', roomId }, v!.token)
  expect(first.room.title).toBe('春茶品鉴直播')
  const unchanged = await stack.call('live', { action: 'sync', roomId, since: first.cursor }, v!.token)
  expect(Object.keys((unchanged.body as any).data)).toEqual(['cursor'])
  expect(Buffer.byteLength(JSON.stringify(unchanged.body))).toBeLessThanOrEqual(200)
  // Only a viewer who entered may comment or like.
  await stack.ok('live', { action: 'enter', roomId }, w!.token)
  await stack.ok('live', { action: 'comment', roomId, text: '这款龙井多少钱？' }, w!.token)
  await stack.ok('live', { action: 'like', roomId, count: 3 }, w!.token)
  const changed = await stack.ok('live', { action: 'sync', roomId, since: first.cursor }, v!.token)
  expect(changed.comments.map((c: any) => c.text)).toEqual(['这款龙井多少钱？'])
  expect(changed.likeCount).toBe(3)
  expect(changed.room).toBeUndefined()
})

test("the claim that takes a room coupon's last unit reaches every viewer's next sync as 已抢光", async () => {
  const roomId = await room()
  const [v, a, b] = await users(3, 'last-unit')
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '限量券', kind: 'fixed', valueFen: 100, thresholdFen: 0, stock: 2, perUserLimit: 1 },
    admin,
  )
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  for (const u of [v, a, b]) await stack.ok('live', { action: 'enter', roomId }, u!.token)
  const first = await stack.ok('live', { action: 'sync', roomId }, v!.token)
  await stack.ok('coupon', { action: 'claim', couponId }, a!.token)
  const one = await stack.ok('live', { action: 'sync', roomId, since: first.cursor }, v!.token)
  expect(one.room).toBeUndefined() // one left: nobody else's view changed
  await stack.ok('coupon', { action: 'claim', couponId }, b!.token)
  const gone = await stack.ok('live', { action: 'sync', roomId, since: one.cursor }, v!.token)
  expect(gone.room.coupons.map((c: any) => c.state)).toEqual(['sold_out'])
})

test('comments pass the content check; refused ones are not stored', async () => {
  const roomId = await room()
  const [v] = await users(1, 'commenter')
  await stack.ok('live', { action: 'enter', roomId }, v!.token)
  const r = await stack.call('live', { action: 'comment', roomId, text: '想要优惠的加微 信123' }, v!.token)
  expect(r.body).toMatchObject({ ok: false, error: { code: 'CONTENT_REJECTED' } })
  expect(await sql(stack, 'SELECT 1 FROM room_comments WHERE room_id = $1', [roomId])).toHaveLength(0)
  const upcoming = await room('upcoming')
  expect((await stack.call('live', { action: 'comment', roomId: upcoming, text: '你好' }, v!.token)).body).toMatchObject({
    ok: false,
    error: { code: 'ROOM_NOT_LIVE' },
  })
})

test('the lottery: commitment first, one draw only, and anyone can recompute the winners from the seed', async () => {
  const roomId = await room()
  const viewers = await users(12, 'lucky')
  for (const v of viewers) await stack.ok('live', { action: 'enter', roomId }, v.token)
  const { lotteryId, commitment } = await stack.ok(
    'admin',
    { action: 'commitLottery', roomId, winners: 3, pool: 'viewers', prize: '明前龙井一罐' },
    admin,
  )
  const before = await stack.ok('live', { action: 'lotteries', roomId }, viewers[0]!.token)
  expect(before.items[0]).toEqual({
    lotteryId,
    pool: 'viewers',
    winners: 3,
    prize: '明前龙井一罐',
    commitment,
    status: 'committed',
    seed: null,
    candidateCount: null,
    winnerList: null,
  })
  const draws = await Promise.all([1, 2, 3].map(() => stack.call('admin', { action: 'drawLottery', lotteryId }, admin)))
  expect(draws.filter((d) => d.status === 200)).toHaveLength(1)
  for (const d of draws.filter((x) => x.status !== 200)) expect((d.body as any).error.code).toBe('LOTTERY_ALREADY_DRAWN')
  const { seed, candidates, winners } = (draws.find((d) => d.status === 200)!.body as any).data
  expect(sha256(seed)).toBe(commitment)
  expect(candidates).toEqual([...viewers.map((v) => v.user.id)].sort())
  const recomputed = [...candidates].sort((a: string, b: string) => (sha256(`${seed}:${a}`) < sha256(`${seed}:${b}`) ? -1 : 1)).slice(0, 3)
  expect(winners).toEqual(recomputed)
  const verified = await stack.ok('live', { action: 'verifyLottery', lotteryId }, viewers[5]!.token)
  expect(verified).toEqual({ commitment, seed, candidates, winners, valid: true })
})

test('the sharers pool holds only sharers with a credited invite', async () => {
  const roomId = await room()
  const [s1, s2, idle] = await users(3, 'pool')
  const [v1, v2] = await users(2, 'pool-viewer')
  await stack.ok('live', { action: 'enter', roomId, sharerId: s1!.user.id }, v1!.token)
  await stack.ok('live', { action: 'enter', roomId, sharerId: s2!.user.id }, v2!.token)
  await stack.ok('live', { action: 'enter', roomId }, idle!.token)
  const { lotteryId } = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 5, pool: 'sharers' }, admin)
  const { candidates, winners } = await stack.ok('admin', { action: 'drawLottery', lotteryId }, admin)
  expect(candidates).toEqual([s1!.user.id, s2!.user.id].sort())
  expect([...winners].sort()).toEqual(candidates)
})

test('each subscriber gets one start reminder, even when the start is triggered twice', async () => {
  const roomId = await room('upcoming')
  const subs = await users(4, 'subscriber')
  for (const s of subs) expect((await stack.ok('live', { action: 'subscribe', roomId }, s.token)).subscribed).toBe(true)
  await stack.ok('live', { action: 'subscribe', roomId }, subs[0]!.token) // twice: still one subscription
  const starts = await Promise.all([1, 2].map(() => stack.call('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)))
  expect(starts.filter((s) => s.status === 200)).toHaveLength(1)
  expect((starts.find((s) => s.status !== 200)!.body as any).error.code).toBe('ROOM_STATUS_CHANGED')
  const sent = await until(async () => {
    const rows = await sql(stack, `SELECT openid FROM sandbox_messages WHERE template = 'live_start' AND page LIKE $1`, [`%${roomId}`])
    return rows.length >= 4 ? rows : null
  })
  await new Promise((r) => setTimeout(r, 600)) // a few more job runs
  const again = await sql(stack, `SELECT openid FROM sandbox_messages WHERE template = 'live_start' AND page LIKE $1`, [`%${roomId}`])
  expect(again.map((r) => r.openid).sort()).toEqual(sent.map((r: any) => r.openid).sort())
  expect(new Set(again.map((r) => r.openid)).size).toBe(4)
})

test('the post-live coupon reaches every viewer once; the ended room plays its replay', async () => {
  const roomId = await room()
  const [v1, v2] = await users(2, 'drop')
  await stack.ok('live', { action: 'enter', roomId }, v1!.token)
  await stack.ok('live', { action: 'enter', roomId }, v2!.token)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
  const { couponId: after } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '回放福利', kind: 'fixed', valueFen: 300, thresholdFen: 0, stock: 1, perUserLimit: 1 },
    admin,
  )
  expect(await stack.ok('admin', { action: 'issueRoomCoupon', roomId, couponId: after }, admin)).toEqual({ issued: 2, already: 0 })
  expect(await stack.ok('admin', { action: 'issueRoomCoupon', roomId, couponId: after }, admin)).toEqual({ issued: 0, already: 2 })
  const ended = await stack.ok('live', { action: 'enter', roomId }, v2!.token)
  expect(ended.room).toMatchObject({ status: 'ended', stream: { kind: 'video', url: '/media/demo.mp4' } })
})

test("the console is the merchant's: non-admins are refused every console action", async () => {
  const roomId = await room()
  const [v] = await users(1, 'intruder')
  const actions: Array<Record<string, unknown>> = [
    { action: 'createLiveRoom', title: 'x', startsAt: new Date().toISOString() },
    { action: 'setLiveStatus', roomId, status: 'ended' },
    { action: 'pushGoods', roomId, productId: 'p_x' },
    { action: 'commitLottery', roomId, winners: 1, pool: 'viewers' },
    { action: 'drawLottery', lotteryId: 'l_x' },
    { action: 'roomStats', roomId },
    { action: 'roomCoupons', roomId },
    { action: 'dropCoupon', roomId, couponId: 'cp_x' },
    { action: 'shareRecords', roomId },
  ]
  for (const a of actions) expect((await stack.call('admin', a, v!.token)).status).toBe(403)
  expect((await stack.ok('live', { action: 'enter', roomId }, v!.token)).room.status).toBe('live')
})

test('share records export as CSV and the room stats count viewers and credits', async () => {
  const roomId = await room()
  const [s, v] = await users(2, 'csv')
  await stack.ok('live', { action: 'enter', roomId, sharerId: s!.user.id }, v!.token)
  const { items, csv } = await stack.ok('admin', { action: 'shareRecords', roomId }, admin)
  expect(items).toEqual([expect.objectContaining({ sharerId: s!.user.id, viewerId: v!.user.id })])
  expect(csv.split('\n')[0]).toBe('sharer_id,sharer_nickname,viewer_id,viewer_nickname,created_at')
  expect(csv.split('\n')[1]).toContain(`${s!.user.id},`)
  await stack.ok('live', { action: 'comment', roomId, text: '来了' }, v!.token)
  expect(await stack.ok('admin', { action: 'roomStats', roomId }, admin)).toEqual({
    status: 'live',
    viewers: 1,
    comments: 1,
    likes: 0,
    credits: 1,
    orders: 0,
    gmvFen: 0,
  })
})

test('a held coupon expiring within 24 hours is reminded once, through the same outbox', async () => {
  const { couponId } = await stack.ok(
    'admin',
    {
      action: 'createCoupon',
      title: '今晚到期券',
      kind: 'fixed',
      valueFen: 300,
      thresholdFen: 0,
      stock: 5,
      perUserLimit: 1,
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      validTo: new Date(Date.now() + 3_600_000).toISOString(),
    },
    admin,
  )
  const [holder] = await users(1, 'expiring')
  await stack.ok('coupon', { action: 'claim', couponId }, holder!.token)
  const openid = 'expiring-0'
  await until(
    async () =>
      (await sql(stack, `SELECT 1 FROM sandbox_messages WHERE openid = $1 AND template = 'coupon_expiring'`, [openid])).length > 0,
  )
  await new Promise((r) => setTimeout(r, 800)) // several more job runs
  const sent = await sql(stack, `SELECT data FROM sandbox_messages WHERE openid = $1 AND template = 'coupon_expiring'`, [openid])
  expect(sent).toHaveLength(1)
  expect(sent[0].data.title).toBe('今晚到期券')
})

test('a lottery without a pool draws among the viewers', async () => {
  const roomId = await room()
  const [v] = await users(1, 'default-pool')
  await stack.ok('live', { action: 'enter', roomId }, v!.token)
  const { lotteryId } = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 1 }, admin)
  expect((await stack.ok('admin', { action: 'drawLottery', lotteryId }, admin)).candidates).toEqual([v!.user.id])
})
