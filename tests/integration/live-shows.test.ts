/**
 * The console's live shows on a real PostgreSQL: a scripted show's report, figure by figure; the
 * peak of concurrent viewers from staggered polls; the room list; edits and their rules; an
 * idempotent create raced; the anchor running it all.
 */
import sharp from 'sharp'
import { createProduct, payOrder, sql } from '../helpers/mall'
import { liveKit } from '../helpers/live'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string
let anchor: string

beforeAll(async () => {
  stack = await startStack({ env: { ADMIN_OPENIDS: 'admin,shop-assistant' } })
  admin = (await stack.login('admin')).token
  await stack.ok('admin', { action: 'setStaff', openid: 'anchor-shows', role: 'anchor' }, admin)
  anchor = (await stack.login('anchor-shows', '主播小林')).token
}, 90_000)
afterAll(() => stack?.stop())

const { room, users, sync } = liveKit(
  () => stack,
  () => admin,
)
let n = 0
const refused = async (fn: string, data: object, token: string) => {
  const r = await stack.call(fn, data, token)
  expect(r.body.ok).toBe(false)
  return r.body.ok ? null : r.body.error
}
const buy = async (token: string, items: Array<{ productId: string; qty: number }>, extra: Record<string, unknown> = {}) =>
  (await stack.ok('order', { action: 'create', items, idempotencyKey: `show-${n++}-${Date.now()}`, ...extra }, token)).orderId as string

test('a scripted show: the report counts exactly the room’s paid, unrefunded orders, its claims and uses, its sharers (not staff) and goods', async () => {
  const roomId = await room('live', { title: '春茶专场' })
  const teaA = await createProduct(stack, admin, { title: '明前龙井', priceFen: 9900, stock: 50 })
  const teaB = await createProduct(stack, admin, { title: '白毫银针', priceFen: 2000, stock: 50 })
  await stack.ok('admin', { action: 'pushGoods', roomId, productId: teaA }, anchor)
  await stack.ok('admin', { action: 'pushGoods', roomId, productId: teaB }, anchor)

  const [sharer, v1, v2, v3, v4, outsider] = await users(6, 'show', (i) => ['分享达人', '观众一', '观众二', '观众三', '观众四', '路人'][i]!)
  const staffSharer = await stack.login('shop-assistant', '店员')
  // A shop coupon claimed by the outsider from the claim center before the drop: not a claim of this room.
  const { couponId: shopCoupon } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '满50减10', kind: 'fixed', valueFen: 1000, thresholdFen: 5000, stock: 10, perUserLimit: 1 },
    admin,
  )
  await stack.ok('coupon', { action: 'claim', couponId: shopCoupon }, outsider!.token)
  const { couponId: roomOnly } = await stack.ok(
    'admin',
    {
      action: 'createCoupon',
      title: '直播专享85折',
      kind: 'percent',
      percentOff: 15,
      maxOffFen: 3000,
      thresholdFen: 0,
      stock: 10,
      perUserLimit: 1,
      roomId,
    },
    anchor,
  )

  await stack.ok('live', { action: 'enter', roomId, sharerId: sharer!.user.id }, v1!.token)
  await stack.ok('live', { action: 'enter', roomId, sharerId: sharer!.user.id }, v2!.token)
  await stack.ok('live', { action: 'enter', roomId }, staffSharer.token)
  await stack.ok('live', { action: 'enter', roomId, sharerId: staffSharer.user.id }, v3!.token)
  await stack.ok('live', { action: 'enter', roomId }, v4!.token)
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId: shopCoupon }, anchor)
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId: roomOnly }, anchor)
  await stack.ok('live', { action: 'comment', roomId, text: '好香' }, v1!.token)
  await stack.ok('live', { action: 'comment', roomId, text: '多少钱' }, v1!.token)
  await stack.ok('live', { action: 'comment', roomId, text: '已下单' }, v4!.token)
  await stack.ok('live', { action: 'like', roomId, count: 7 }, v2!.token)

  const c1 = (await stack.ok('coupon', { action: 'claim', couponId: shopCoupon }, v1!.token)).userCouponId
  await stack.ok('coupon', { action: 'claim', couponId: shopCoupon }, v4!.token)
  const c2 = (await stack.ok('coupon', { action: 'claim', couponId: roomOnly }, v2!.token)).userCouponId

  // Counted: v1 (¥99 - ¥10) and v2 (2 × ¥20, 15% off = ¥34), both brought by the sharer.
  const o1 = await buy(v1!.token, [{ productId: teaA, qty: 1 }], { roomId, userCouponId: c1 })
  expect((await payOrder(stack, v1!.token, o1)).status).toBe(200)
  const o2 = await buy(v2!.token, [{ productId: teaB, qty: 2 }], { roomId, userCouponId: c2 })
  expect((await payOrder(stack, v2!.token, o2)).status).toBe(200)
  // Not counted: refunded (v3), unpaid (v4), paid outside the room (v1).
  const o3 = await buy(v3!.token, [{ productId: teaA, qty: 1 }], { roomId })
  expect((await payOrder(stack, v3!.token, o3)).status).toBe(200)
  await stack.ok('admin', { action: 'refund', orderId: o3, reason: '顾客不想要了' }, admin)
  await buy(v4!.token, [{ productId: teaB, qty: 1 }], { roomId })
  const outside = await buy(v1!.token, [{ productId: teaB, qty: 1 }])
  expect((await payOrder(stack, v1!.token, outside)).status).toBe(200)
  expect(await sql(stack, 'SELECT status FROM orders WHERE id = $1', [o3])).toEqual([{ status: 'refunded' }])

  const report = await stack.ok('admin', { action: 'roomReport', roomId }, anchor)
  expect(report).toMatchObject({
    viewers: 5,
    likes: 7,
    comments: 3,
    credits: 3,
    orders: 2,
    buyers: 2,
    gmvFen: 8900 + 3400,
    conversion: 2 / 5,
    topSharers: [{ userId: sharer!.user.id, nickname: '分享达人', invites: 2, orders: 2, gmvFen: 12300 }],
    coupons: [
      { couponId: shopCoupon, title: '满50减10', ruleText: '满50减10', claimed: 2, used: 1, discountFen: 1000 },
      { couponId: roomOnly, title: '直播专享85折', ruleText: '8.5折 最多减30', claimed: 1, used: 1, discountFen: 600 },
    ],
    goods: [
      { productId: teaA, title: '明前龙井', units: 1, gmvFen: 8900, pushed: true },
      { productId: teaB, title: '白毫银针', units: 2, gmvFen: 3400, pushed: true },
    ],
  })
  expect(report.room).toMatchObject({ roomId, title: '春茶专场', status: 'live', viewers: 5, orders: 2, gmvFen: 12300 })
  expect(report.durationSec).toBeGreaterThanOrEqual(0)
  // The same figures the console polls.
  expect(await stack.ok('admin', { action: 'roomStats', roomId }, anchor)).toMatchObject({ viewers: 5, orders: 2, gmvFen: 12300 })

  // After the end the figures stay; the coupon issued to viewers afterwards is a grant, not a claim.
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, anchor)
  await stack.ok('admin', { action: 'issueRoomCoupon', roomId, couponId: shopCoupon }, anchor)
  const after = await stack.ok('admin', { action: 'roomReport', roomId }, admin)
  // The grant shows in the coupons table apart from the claims: granted N, none used yet.
  const [{ n: granted }] = await sql(stack, 'SELECT count(*)::int AS n FROM user_coupons WHERE starts_with(grant_key, $1)', [
    `room-end:${roomId}:`,
  ])
  expect(granted).toBeGreaterThan(0)
  expect(report.coupons.map((c: any) => c.granted)).toEqual([0, 0])
  expect(after.coupons).toEqual([{ ...report.coupons[0], granted, grantedUsed: 0 }, report.coupons[1]])
  expect(after).toMatchObject({ orders: 2, gmvFen: 12300, viewers: 5, room: { status: 'ended' } })
  expect(after.durationSec).not.toBeNull()

  // Before the start a report is empty, not refused.
  const upcoming = await room('upcoming')
  expect(await stack.ok('admin', { action: 'roomReport', roomId: upcoming }, admin)).toMatchObject({
    durationSec: null,
    viewers: 0,
    peakViewers: 0,
    orders: 0,
    conversion: 0,
    topSharers: [],
    coupons: [],
    goods: [],
  })
  expect(await refused('admin', { action: 'roomReport', roomId: 'r_0000000000000000' }, admin)).toMatchObject({ code: 'NOT_FOUND' })
}, 60_000)

test('the report lists every product sold in the room, pushed or not, and the after-show grants with their use', async () => {
  const roomId = await room('live', { title: '未推送也算' })
  const pushed = await createProduct(stack, admin, { title: '推送的茶', priceFen: 3000, stock: 20 })
  const unpushed = await createProduct(stack, admin, { title: '没推送的茶', priceFen: 5000, stock: 20 })
  await stack.ok('admin', { action: 'pushGoods', roomId, productId: pushed }, anchor)
  const [buyer] = await users(1, 'unpushed-buyer')
  await stack.ok('live', { action: 'enter', roomId }, buyer!.token)
  const order = await buy(buyer!.token, [{ productId: unpushed, qty: 2 }], { roomId })
  expect((await payOrder(stack, buyer!.token, order)).status).toBe(200)
  const report = await stack.ok('admin', { action: 'roomReport', roomId }, anchor)
  expect(report.goods).toEqual([
    { productId: pushed, title: '推送的茶', units: 0, gmvFen: 0, pushed: true },
    { productId: unpushed, title: '没推送的茶', units: 2, gmvFen: 10000, pushed: false },
  ])
  expect(report.goods.reduce((s: number, g: any) => s + g.gmvFen, 0)).toBe(report.gmvFen)

  // After the show: a stock-0 prize coupon to the viewers, used once on an order elsewhere.
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, anchor)
  const prize = { action: 'createCoupon', title: '观众回馈券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 0, perUserLimit: 1 }
  const first = await stack.call('admin', prize, admin)
  const couponId = first.body.ok
    ? first.body.data.couponId
    : (await stack.ok('admin', { ...prize, confirm: (first.body.error.details as any).warnings.map((w: any) => w.code) }, admin)).couponId
  const grantable = (await stack.ok('admin', { action: 'roomCoupons', roomId, grantable: true }, anchor)).items.map((c: any) => c.couponId)
  expect(grantable).toContain(couponId)
  expect((await stack.ok('admin', { action: 'roomCoupons', roomId }, anchor)).items.map((c: any) => c.couponId)).not.toContain(couponId)
  await stack.ok('admin', { action: 'issueRoomCoupon', roomId, couponId }, anchor)
  const [{ id: userCouponId }] = await sql(stack, 'SELECT id FROM user_coupons WHERE coupon_id = $1 AND user_id = $2', [
    couponId,
    buyer!.user.id,
  ])
  const later = await buy(buyer!.token, [{ productId: pushed, qty: 1 }], { userCouponId })
  expect((await payOrder(stack, buyer!.token, later)).status).toBe(200)
  const after = await stack.ok('admin', { action: 'roomReport', roomId }, anchor)
  expect(after.coupons).toEqual([
    expect.objectContaining({ couponId, title: '观众回馈券', claimed: 0, used: 0, granted: 1, grantedUsed: 1 }),
  ])
  // The order outside the room moves none of the room's sales.
  expect(after).toMatchObject({ orders: 1, gmvFen: 10000 })
})

test('peak concurrent viewers: watching is seen in the last 60 s, sampled at most every 15 s, last-seen written at most every 30 s', async () => {
  // Polls mark presence in the host's memory; the host writes the marks every few seconds, and the
  // console's reads of a room (admin.liveRoom here) write this host's pending marks first, then
  // sample the peak when due. So each peak() below is also a flush.
  const roomId = await room('live')
  const peak = async () => (await stack.ok('admin', { action: 'liveRoom', roomId }, anchor)).room.peakViewers as number
  const seen = async (userId: string) =>
    (await sql(stack, 'SELECT last_seen_at FROM room_entries WHERE room_id = $1 AND user_id = $2', [roomId, userId]))[0]
      .last_seen_at as Date
  const sampledAt = async () => (await sql(stack, 'SELECT peak_sampled_at FROM live_rooms WHERE id = $1', [roomId]))[0].peak_sampled_at
  const sampleDue = () => sql(stack, `UPDATE live_rooms SET peak_sampled_at = now() - interval '20 seconds' WHERE id = $1`, [roomId])

  const first = await users(3, 'peak-a')
  await stack.ok('live', { action: 'enter', roomId }, first[0]!.token)
  // The first flush sampled the room (1 watching); the next entries' flush fell inside the 15 s.
  expect(await peak()).toBe(1)
  expect(await seen(first[0]!.user.id)).not.toBeNull()
  for (const v of first.slice(1)) await stack.ok('live', { action: 'enter', roomId }, v.token)
  expect(await peak()).toBe(1)
  const sampled = await sampledAt()
  await sync(roomId, first[0]!.token)
  expect(await peak()).toBe(1)
  expect(await sampledAt()).toEqual(sampled)

  // The sample is due: the next flush counts the three watching now.
  await sampleDue()
  await Promise.all(first.map((v) => sync(roomId, v.token)))
  expect(await peak()).toBe(3)

  // A poll within 30 s of the last write leaves last-seen as it was.
  const before = await seen(first[1]!.user.id)
  await sync(roomId, first[1]!.token)
  await peak()
  expect(await seen(first[1]!.user.id)).toEqual(before)

  // The three leave (seen two minutes ago); two others watch: 2 now, the peak stays 3.
  await sql(stack, `UPDATE room_entries SET last_seen_at = now() - interval '2 minutes' WHERE room_id = $1`, [roomId])
  const second = await users(2, 'peak-b')
  for (const v of second) await stack.ok('live', { action: 'enter', roomId }, v.token)
  await sampleDue()
  await sync(roomId, second[0]!.token)
  expect(await peak()).toBe(3)

  // Five watching: the peak rises; 20 polls racing write one sample.
  const third = await users(3, 'peak-c')
  for (const v of third) await stack.ok('live', { action: 'enter', roomId }, v.token)
  await sampleDue()
  const racing = [...second, ...third]
  await Promise.all(Array.from({ length: 20 }, (_, i) => sync(roomId, racing[i % racing.length]!.token)))
  expect(await peak()).toBe(5)
  const report = await stack.ok('admin', { action: 'roomReport', roomId }, admin)
  expect(report).toMatchObject({ viewers: 8, peakViewers: 5 })

  // An upcoming room samples nothing; an ended one keeps its peak.
  const later = await room('upcoming')
  const [early] = await users(1, 'peak-early')
  await stack.ok('live', { action: 'enter', roomId: later }, early!.token)
  await sync(later, early!.token)
  expect((await stack.ok('admin', { action: 'liveRoom', roomId: later }, admin)).room.peakViewers).toBe(0)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
  await sampleDue()
  await sync(roomId, third[0]!.token)
  expect(await peak()).toBe(5)

  // Ending takes the last sample whenever the previous one was (this host's pending marks written
  // first): who watched to the end counts.
  const closing = await room('live')
  const crowd = await users(3, 'peak-end')
  const closingPeak = async () => (await stack.ok('admin', { action: 'liveRoom', roomId: closing }, admin)).room.peakViewers
  await stack.ok('live', { action: 'enter', roomId: closing }, crowd[0]!.token)
  expect(await closingPeak()).toBe(1)
  for (const v of crowd.slice(1)) await stack.ok('live', { action: 'enter', roomId: closing }, v.token)
  await stack.ok('admin', { action: 'setLiveStatus', roomId: closing, status: 'ended' }, anchor)
  expect(await closingPeak()).toBe(3)
}, 60_000)

test('presence marks reach the database by the host’s own flush, every PRESENCE_FLUSH_MS, with no console read', async () => {
  const roomId = await room('live')
  const [v] = await users(1, 'flushed')
  // An entry is a sighting itself (written with the entry); make it old, then poll.
  await stack.ok('live', { action: 'enter', roomId }, v!.token)
  await sql(stack, `UPDATE room_entries SET last_seen_at = now() - interval '2 minutes' WHERE room_id = $1`, [roomId])
  await sync(roomId, v!.token)
  const facts = async () =>
    (
      await sql(
        stack,
        `SELECT e.last_seen_at > now() - interval '1 minute' AS seen, r.peak_viewers AS peak
         FROM room_entries e JOIN live_rooms r ON r.id = e.room_id WHERE e.room_id = $1 AND e.user_id = $2`,
        [roomId, v!.user.id],
      )
    )[0] as { seen: boolean; peak: number }
  const deadline = Date.now() + 10_000
  while (!(await facts()).seen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
  // Written by the flush, which sampled the live room: one watching.
  expect(await facts()).toEqual({ seen: true, peak: 1 })
})

test('the room list: one status at a time or all, live first, upcoming soonest first, ended latest first', async () => {
  const soon = await room('upcoming', { title: '明天的直播', startsAt: new Date(Date.now() + 86_400_000).toISOString() })
  const sooner = await room('upcoming', { title: '一小时后', startsAt: new Date(Date.now() + 3_600_000 - 1000).toISOString() })
  const live = await room('live', { title: '直播中' })
  const upcoming = (await stack.ok('admin', { action: 'liveRooms', status: 'upcoming' }, anchor)).items.map((r: any) => r.roomId)
  expect(upcoming.indexOf(sooner)).toBeLessThan(upcoming.indexOf(soon))
  const all = await stack.ok('admin', { action: 'liveRooms' }, anchor)
  const statuses = all.items.map((r: any) => r.status)
  expect(statuses.indexOf('upcoming')).toBeGreaterThan(statuses.lastIndexOf('live'))
  expect(statuses.indexOf('ended')).toBeGreaterThan(statuses.lastIndexOf('upcoming'))
  expect(all.items.find((r: any) => r.roomId === live)).toMatchObject({
    title: '直播中',
    status: 'live',
    viewers: 0,
    peakViewers: 0,
    orders: 0,
  })
  const ended = (await stack.ok('admin', { action: 'liveRooms', status: 'ended' }, anchor)).items
  expect(ended.every((r: any) => r.status === 'ended')).toBe(true)
  const endTimes = ended.map((r: any) => Date.parse(r.endedAt))
  expect([...endTimes].sort((a, b) => b - a)).toEqual(endTimes)
  expect(await refused('admin', { action: 'liveRooms', cursor: '!!' }, anchor)).toMatchObject({ code: 'VALIDATION_FAILED' })
})

test('the room list pages by keyset: a room that starts while the anchor pages 即将开始 makes no other room skip or repeat', async () => {
  // Far ahead, so that they come last in 即将开始 and other tests' rooms keep their places.
  const base = Date.now() + 300 * 86_400_000
  const mine: string[] = []
  for (let i = 0; i < 25; i++) mine.push(await room('upcoming', { title: `分页${i}`, startsAt: new Date(base + i * 1000).toISOString() }))
  const seen: string[] = []
  let cursor: string | null = null
  let moved: string | null = null
  do {
    const page: any = await stack.ok('admin', { action: 'liveRooms', status: 'upcoming', ...(cursor ? { cursor } : {}) }, anchor)
    const ids: string[] = page.items.map((r: any) => r.roomId)
    seen.push(...ids)
    // The first of them on screen starts (from the phone, another tab) before the next page: it leaves the tab.
    const shown = ids.find((id) => mine.includes(id))
    if (!moved && shown && page.nextCursor) {
      moved = shown
      await stack.ok('admin', { action: 'setLiveStatus', roomId: moved, status: 'live' }, anchor)
    }
    cursor = page.nextCursor
  } while (cursor)
  expect(moved).not.toBeNull()
  for (const id of mine) expect(seen.filter((s) => s === id)).toHaveLength(1)
  expect(new Set(seen).size).toBe(seen.length)
})

test('edits: the start time only while upcoming; the rest also live and after; bad input changes nothing', async () => {
  const roomId = await room('upcoming')
  const at = new Date(Date.now() + 2 * 86_400_000).toISOString()
  const { room: edited } = await stack.ok(
    'admin',
    {
      action: 'updateLiveRoom',
      roomId,
      title: '改过的标题',
      startsAt: at,
      poster: '/media/files/poster.png',
      anchorName: '小林',
      streamUrl: 'https://live.example.com/a.flv',
      streamKind: 'live-player',
    },
    anchor,
  )
  expect(edited).toMatchObject({ title: '改过的标题', startsAt: at, poster: '/media/files/poster.png', anchorName: '小林' })
  expect(edited).toMatchObject({ streamKind: 'live-player', streamUrl: 'https://live.example.com/a.flv' })
  // Viewers see the new title.
  const [viewer] = await users(1, 'edit-viewer')
  expect((await stack.ok('live', { action: 'enter', roomId }, viewer!.token)).room.title).toBe('改过的标题')

  const unchanged = (await stack.ok('admin', { action: 'liveRoom', roomId }, admin)).room
  expect(await refused('admin', { action: 'updateLiveRoom', roomId, title: '   ' }, admin)).toMatchObject({ code: 'VALIDATION_FAILED' })
  expect(
    await refused(
      'admin',
      { action: 'updateLiveRoom', roomId, title: '不该生效', startsAt: new Date(Date.now() + 800 * 86_400_000).toISOString() },
      admin,
    ),
  ).toMatchObject({ code: 'VALIDATION_FAILED', message: '开播时间需在过去一天到未来一年之内' })
  expect((await stack.ok('admin', { action: 'liveRoom', roomId }, admin)).room).toEqual(unchanged)

  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, anchor)
  expect(
    await refused(
      'admin',
      { action: 'updateLiveRoom', roomId, title: '不该生效', startsAt: new Date(Date.now() + 86_400_000).toISOString() },
      anchor,
    ),
  ).toMatchObject({ code: 'ROOM_STATUS_CHANGED', message: '直播已开始，不能再修改开播时间' })
  expect((await stack.ok('admin', { action: 'liveRoom', roomId }, admin)).room.title).toBe('改过的标题')
  await stack.ok('admin', { action: 'updateLiveRoom', roomId, communityQr: '/media/files/qr.png' }, anchor)

  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, anchor)
  const { room: after } = await stack.ok(
    'admin',
    { action: 'updateLiveRoom', roomId, replayUrl: 'https://cdn.example.com/replay.mp4' },
    anchor,
  )
  expect(after).toMatchObject({
    status: 'ended',
    replayUrl: 'https://cdn.example.com/replay.mp4',
    communityQr: '/media/files/qr.png',
    viewers: 1,
  })
  expect((await stack.ok('live', { action: 'enter', roomId }, viewer!.token)).room.stream).toEqual({
    kind: 'video',
    url: 'https://cdn.example.com/replay.mp4',
  })
  // A stream or replay that is no playable address is refused, with the field named; nothing changes.
  const kept = (await stack.ok('admin', { action: 'liveRoom', roomId }, admin)).room
  expect(await refused('admin', { action: 'updateLiveRoom', roomId, replayUrl: 'javascript:alert(1)' }, anchor)).toMatchObject({
    code: 'VALIDATION_FAILED',
    message: '回放地址需以 http:// 或 https:// 开头',
    details: [{ path: 'replayUrl' }],
  })
  expect(
    await refused('admin', { action: 'updateLiveRoom', roomId, streamUrl: 'sph-only', streamKind: 'channels', title: '不该生效' }, anchor),
  ).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'streamUrl' }] })
  expect((await stack.ok('admin', { action: 'liveRoom', roomId }, admin)).room).toEqual(kept)
  expect(
    await refused(
      'admin',
      { action: 'createLiveRoom', title: '坏地址', startsAt: at, streamUrl: 'data:text/html,x', streamKind: 'video' },
      anchor,
    ),
  ).toMatchObject({ code: 'VALIDATION_FAILED', message: '视频地址需以 http:// 或 https:// 开头' })
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM live_rooms WHERE title = $1', ['坏地址'])).toEqual([{ n: 0 }])

  // An emptied anchor name puts the shop's name back (null or '').
  expect((await stack.ok('admin', { action: 'updateLiveRoom', roomId, anchorName: '' }, anchor)).room.anchorName).toBe('好茶小铺')
  await stack.ok('admin', { action: 'updateLiveRoom', roomId, anchorName: '小林' }, anchor)
  expect((await stack.ok('admin', { action: 'updateLiveRoom', roomId, anchorName: null }, anchor)).room.anchorName).toBe('好茶小铺')

  expect(await refused('admin', { action: 'updateLiveRoom', roomId: 'r_0000000000000000', title: 'x' }, admin)).toMatchObject({
    code: 'NOT_FOUND',
  })
})

test('createLiveRoom with a key, raced: one room, every copy answers it; the key with another request is refused', async () => {
  const idempotencyKey = `room-key-${Date.now()}`
  const input = {
    action: 'createLiveRoom',
    title: '只建一次的直播',
    startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    idempotencyKey,
  }
  const answers = await Promise.all(Array.from({ length: 6 }, () => stack.call('admin', input, anchor)))
  const ids = new Set(answers.map((a) => (a.body.ok ? a.body.data.roomId : a.body.error.code)))
  expect(ids.size).toBe(1)
  const [roomId] = [...ids]
  expect(roomId).toMatch(/^r_/)
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM live_rooms WHERE title = $1', ['只建一次的直播'])).toEqual([{ n: 1 }])
  // The key with an edited form (a retry after a cut answer) names the room already made.
  expect(await refused('admin', { ...input, title: '另一个直播' }, anchor)).toMatchObject({
    code: 'IDEMPOTENCY_KEY_REUSED',
    details: { roomId },
  })
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM live_rooms WHERE title = $1', ['另一个直播'])).toEqual([{ n: 0 }])
  // One write, one audit entry: the replays answered the first room and are not audited again.
  expect(
    await sql(stack, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.createLiveRoom' AND target = $1`, [`room:${roomId}`]),
  ).toEqual([{ n: 1 }])
})

test('idempotent replays of other creates are audited once (a coupon), raced', async () => {
  const couponInput = {
    action: 'createCoupon',
    title: '只审计一次的券',
    kind: 'fixed',
    valueFen: 500,
    thresholdFen: 0,
    stock: 5,
    perUserLimit: 1,
    idempotencyKey: `coupon-key-${Date.now()}`,
  }
  const answers = await Promise.all(Array.from({ length: 6 }, () => stack.call('admin', couponInput, admin)))
  const ids = new Set(answers.map((a) => (a.body.ok ? a.body.data.couponId : a.body.error.code)))
  expect(ids.size).toBe(1)
  expect(
    await sql(stack, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.createCoupon' AND target = $1`, [
      `coupon:${[...ids][0]}`,
    ]),
  ).toEqual([{ n: 1 }])
})

test('commitLottery with a key, raced (a retry after a cut answer): one lottery, one audit entry; the key with another request is refused', async () => {
  const roomId = await room('live')
  const input = {
    action: 'commitLottery',
    roomId,
    winners: 1,
    pool: 'viewers',
    prize: '一罐龙井',
    idempotencyKey: `lottery-key-${Date.now()}`,
  }
  const answers = await Promise.all(Array.from({ length: 6 }, () => stack.call('admin', input, anchor)))
  const ids = new Set(answers.map((a) => (a.body.ok ? `${a.body.data.lotteryId} ${a.body.data.commitment}` : a.body.error.code)))
  expect(ids.size).toBe(1)
  const lotteryId = [...ids][0]!.split(' ')[0]
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM lotteries WHERE room_id = $1', [roomId])).toEqual([{ n: 1 }])
  expect(
    await sql(stack, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.commitLottery' AND target = $1`, [
      `lottery:${lotteryId}`,
    ]),
  ).toEqual([{ n: 1 }])
  expect(await refused('admin', { ...input, winners: 2 }, anchor)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' })
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM lotteries WHERE room_id = $1', [roomId])).toEqual([{ n: 1 }])
  // Without a key every call commits (the old behaviour stays for callers that send none).
  await stack.ok('admin', { action: 'commitLottery', roomId, winners: 1 }, anchor)
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM lotteries WHERE room_id = $1', [roomId])).toEqual([{ n: 2 }])
})

test('roles: the anchor and 运营 run the shows; 客服 and shoppers are refused', async () => {
  await stack.ok('admin', { action: 'setStaff', openid: 'service-shows', role: 'service' }, admin)
  const service = (await stack.login('service-shows')).token
  const shopper = (await stack.login('shopper-shows')).token
  const roomId = await room('upcoming')
  for (const token of [service, shopper]) {
    for (const data of [
      { action: 'liveRooms' },
      { action: 'liveRoom', roomId },
      { action: 'updateLiveRoom', roomId, title: '越权' },
      { action: 'roomReport', roomId },
    ])
      expect(await refused('admin', data, token)).toMatchObject({ code: 'FORBIDDEN' })
  }
  expect((await stack.ok('admin', { action: 'liveRoom', roomId }, admin)).room.title).not.toBe('越权')
  expect((await stack.ok('admin', { action: 'liveRooms', status: 'upcoming' }, anchor)).items.some((r: any) => r.roomId === roomId)).toBe(
    true,
  )
})

test('an anchor uploads a room image (poster, QR, avatar) as the console does; 客服 may not', async () => {
  const png = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 200, g: 120, b: 60 } } })
    .png()
    .toBuffer()
  const upload = (token: string) =>
    fetch(`${stack.url}/admin/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', authorization: `Bearer ${token}` },
      body: png,
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }))
  const done = await upload(anchor)
  expect(done.status).toBe(200)
  const roomId = await room('upcoming')
  const { room: edited } = await stack.ok('admin', { action: 'updateLiveRoom', roomId, poster: done.json.data.url }, anchor)
  expect(edited.poster).toBe(done.json.data.url)
  await stack.ok('admin', { action: 'setStaff', openid: 'service-upload', role: 'service' }, admin)
  expect((await upload((await stack.login('service-upload')).token)).status).toBe(403)
})

test('a lottery is not drawn before the show starts, nor with nobody in its pool; it stays committed', async () => {
  const roomId = await room('upcoming')
  const { lotteryId } = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 1, pool: 'viewers' }, anchor)
  expect(await refused('admin', { action: 'drawLottery', lotteryId }, anchor)).toMatchObject({
    code: 'ROOM_NOT_LIVE',
    message: '直播开始后才能开奖',
  })
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, anchor)
  expect(await refused('admin', { action: 'drawLottery', lotteryId }, anchor)).toMatchObject({
    code: 'VALIDATION_FAILED',
    message: '还没有观众进入直播间，暂不能开奖',
  })
  expect(await sql(stack, 'SELECT status FROM lotteries WHERE id = $1', [lotteryId])).toEqual([{ status: 'committed' }])
  const [viewer] = await users(1, 'draw-late')
  await stack.ok('live', { action: 'enter', roomId }, viewer!.token)
  expect((await stack.ok('admin', { action: 'drawLottery', lotteryId }, anchor)).winners).toEqual([viewer!.user.id])
})
