/**
 * Findings of an outside review of issue 14, on a real PostgreSQL: 预约 racing the start, time and
 * stock reaching watching viewers, cleaned people's text, staff out of the top-3 award, ended rooms
 * refusing lotteries and pushes, admin inputs kept sane.
 */
import { createProduct, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack({ env: { ADMIN_OPENIDS: 'admin,shop-assistant' } })
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

let n = 0
const users = (count: number, prefix: string, nickname?: (i: number) => string) =>
  Promise.all(Array.from({ length: count }, (_, i) => stack.login(`${prefix}-${n++}-${i}`, nickname?.(i))))
const room = async (status: 'upcoming' | 'live' = 'live', extra: Record<string, unknown> = {}) => {
  const { roomId } = await stack.ok(
    'admin',
    {
      action: 'createLiveRoom',
      title: '秋茶品鉴直播',
      startsAt: new Date(Date.now() + 3600_000).toISOString(),
      streamUrl: '/media/demo.mp4',
      ...extra,
    },
    admin,
  )
  if (status === 'live') await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  return roomId as string
}
const coupon = async (fields: Record<string, unknown> = {}) =>
  (
    await stack.ok(
      'admin',
      { action: 'createCoupon', title: '直播间券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 10, perUserLimit: 1, ...fields },
      admin,
    )
  ).couponId as string
const sync = (roomId: string, token: string, since?: string) =>
  stack.ok('live', { action: 'sync', roomId, ...(since ? { since } : {}) }, token)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('预约 racing the start: every accepted subscription gets exactly one start reminder, the rest are refused', async () => {
  const subscribers = await users(30, 'sub-race')
  for (let k = 0; k < 5; k++) {
    const roomId = await room('upcoming')
    const subs = subscribers.map((u, i) => sleep(i % 15).then(() => stack.call('live', { action: 'subscribe', roomId }, u.token)))
    const start = sleep(6 + k).then(() => stack.call('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin))
    const results = await Promise.all(subs)
    expect((await start).status).toBe(200)
    const accepted = subscribers
      .filter((_, i) => results[i]!.body.ok)
      .map((u) => u.user.id)
      .sort()
    for (const r of results)
      if (!r.body.ok) expect(r.body.error).toMatchObject({ code: 'ROOM_STATUS_CHANGED', message: '直播已开始，无需预约' })
    const queued = await sql(stack, `SELECT user_id FROM notification_outbox WHERE kind = 'live_start' AND dedupe_key LIKE $1`, [
      `live_start:${roomId}:%`,
    ])
    expect(queued.map((r) => r.user_id).sort()).toEqual(accepted)
  }
}, 60_000)

test('a dropped coupon starting and ending by the clock reaches a viewer polling with a cursor: 未开始 → 立即领取 → 已结束', async () => {
  const roomId = await room()
  const [viewer] = await users(1, 'clock')
  await stack.ok('live', { action: 'enter', roomId }, viewer!.token)
  const t0 = Date.now()
  const couponId = await coupon({
    validFrom: new Date(t0 + 2500).toISOString(),
    validTo: new Date(t0 + 5000).toISOString(),
  })
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  const stateOf = (view: any) => view.coupons.find((c: any) => c.couponId === couponId)?.state
  let answer = await sync(roomId, viewer!.token)
  expect(stateOf(answer.room)).toBe('not_started')
  const cursor0 = answer.cursor
  // Nothing changed yet: the poll answers the cursor alone.
  const quiet = await sync(roomId, viewer!.token, cursor0)
  expect(quiet).toEqual({ cursor: cursor0 })
  await sleep(Math.max(0, t0 + 2700 - Date.now()))
  answer = await sync(roomId, viewer!.token, cursor0)
  expect(stateOf(answer.room)).toBe('claimable')
  const cursor1 = answer.cursor
  expect(await sync(roomId, viewer!.token, cursor1)).toEqual({ cursor: cursor1 })
  await sleep(Math.max(0, t0 + 5200 - Date.now()))
  answer = await sync(roomId, viewer!.token, cursor1)
  expect(stateOf(answer.room)).toBe('ended')
  // No edge left: quiet again.
  expect(await sync(roomId, viewer!.token, answer.cursor)).toEqual({ cursor: answer.cursor })
}, 30_000)

test('stock reaching viewers: a pushed product bought out shows stock 0 on the next sync, back in stock after a cancel; a sale of a well-stocked product touches nothing', async () => {
  const roomId = await room()
  const scarce = await createProduct(stack, admin, { title: '限量白茶', stock: 2 })
  const plenty = await createProduct(stack, admin, { title: '口粮绿茶', stock: 500 })
  await stack.ok('admin', { action: 'pushGoods', roomId, productId: plenty }, admin)
  await stack.ok('admin', { action: 'pushGoods', roomId, productId: scarce }, admin)
  const [viewer, buyer] = await users(2, 'stock')
  await stack.ok('live', { action: 'enter', roomId }, viewer!.token)
  const stockOf = (view: any, id: string) => view.goods.find((g: any) => g.id === id)?.stock
  const first = await sync(roomId, viewer!.token)
  expect(stockOf(first.room, scarce)).toBe(2)

  const buy = (productId: string, qty: number) =>
    stack.ok('order', { action: 'create', items: [{ productId, qty }], idempotencyKey: `k-${n++}-${Date.now()}` }, buyer!.token)
  await buy(plenty, 1)
  expect(await sync(roomId, viewer!.token, first.cursor)).toEqual({ cursor: first.cursor })

  const { orderId } = await buy(scarce, 2)
  const soldOut = await sync(roomId, viewer!.token, first.cursor)
  expect(stockOf(soldOut.room, scarce)).toBe(0)

  await stack.ok('order', { action: 'cancel', orderId }, buyer!.token)
  const back = await sync(roomId, viewer!.token, soldOut.cursor)
  expect(stockOf(back.room, scarce)).toBe(2)
})
