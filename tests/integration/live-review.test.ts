/**
 * Findings of an outside review of issue 14, on a real PostgreSQL: 预约 racing the start, time and
 * stock reaching watching viewers, cleaned people's text, staff out of the top-3 award, ended rooms
 * refusing lotteries and pushes, admin inputs kept sane.
 */
import { createProduct, payOrder, sql } from '../helpers/mall'
import { sleep } from '../helpers/host'
import { liveKit } from '../helpers/live'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack({ env: { ADMIN_OPENIDS: 'admin,shop-assistant' } })
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

let n = 0
const { room, users, coupon, sync } = liveKit(
  () => stack,
  () => admin,
)

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
    // Wide enough for a loaded machine to make the coupon, drop it and poll twice before it starts,
    // and to poll twice while it runs.
    validFrom: new Date(t0 + 8000).toISOString(),
    validTo: new Date(t0 + 16_000).toISOString(),
    confirm: ['ENDS_SOON'],
  })
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  const stateOf = (view: any) => view.coupons.find((c: any) => c.couponId === couponId)?.state
  let answer = await sync(roomId, viewer!.token)
  expect(stateOf(answer.room)).toBe('not_started')
  const cursor0 = answer.cursor
  // Nothing changed yet: the poll answers the cursor alone.
  const quiet = await sync(roomId, viewer!.token, cursor0)
  expect(quiet).toEqual({ cursor: cursor0 })
  await sleep(Math.max(0, t0 + 8200 - Date.now()))
  answer = await sync(roomId, viewer!.token, cursor0)
  expect(stateOf(answer.room)).toBe('claimable')
  const cursor1 = answer.cursor
  expect(await sync(roomId, viewer!.token, cursor1)).toEqual({ cursor: cursor1 })
  await sleep(Math.max(0, t0 + 16_200 - Date.now()))
  answer = await sync(roomId, viewer!.token, cursor1)
  expect(stateOf(answer.room)).toBe('ended')
  // No edge left: quiet again.
  expect(await sync(roomId, viewer!.token, answer.cursor)).toEqual({ cursor: answer.cursor })
}, 60_000)

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

/**
 * Deadlocks PostgreSQL has detected in this database. The transaction layer retries a deadlock's victim,
 * so a deadlock shows only as a second's wait (deadlock_timeout) or, on the third, an INTERNAL; its
 * count is the honest signal. Backends flush their statistics when idle, within 10 s.
 */
async function deadlocks(settleMs = 0): Promise<number> {
  await sleep(settleMs)
  const rows = await sql(stack, 'SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()')
  return (rows[0] as { n: number }).n
}

test('orders racing for low-stock products on a live shelf never deadlock: each order touches its rooms once, after all its stock', async () => {
  const roomId = await room()
  const a = await createProduct(stack, admin, { title: '限量单丛', stock: 9 })
  const b = await createProduct(stack, admin, { title: '限量岩茶', stock: 9 })
  for (const productId of [a, b]) await stack.ok('admin', { action: 'pushGoods', roomId, productId }, admin)
  const buyers = await users(20, 'hot-shelf')
  const before = await deadlocks()
  for (let round = 0; round < 5; round++) {
    // Half order both products, half only the second: with a room touched between two lines, an order
    // holding a waited for b while holding the room that an order holding b waited for.
    const results = await Promise.all(
      buyers.map((u, i) =>
        stack.call(
          'order',
          {
            action: 'create',
            items:
              i % 2
                ? [{ productId: b, qty: 1 }]
                : [
                    { productId: a, qty: 1 },
                    { productId: b, qty: 1 },
                  ],
            idempotencyKey: `hot-shelf-${round}-${i}`,
          },
          u.token,
        ),
      ),
    )
    expect(results.filter((r) => r.status >= 500)).toEqual([])
    for (const r of results) if (!r.body.ok) expect((r.body as any).error.code).toBe('OUT_OF_STOCK')
    const placed = results.flatMap((r, i) =>
      r.body.ok ? [{ orderId: (r.body as any).data.orderId as string, token: buyers[i]!.token }] : [],
    )
    expect(placed.length).toBeGreaterThan(0)
    const cancels = await Promise.all(placed.map((o) => stack.call('order', { action: 'cancel', orderId: o.orderId }, o.token)))
    expect(cancels.filter((r) => r.status !== 200)).toEqual([])
  }
  expect(await deadlocks(11_000)).toBe(before)
  const rows = await sql(stack, 'SELECT sum(stock)::int AS n FROM skus WHERE product_id = ANY($1)', [[a, b]])
  expect((rows[0] as { n: number }).n).toBe(18)
}, 120_000)

test('two SKUs of one pushed product sold at the same moment: whichever commits last shows the low stock (仅剩 N 件) to viewers', async () => {
  for (let k = 0; k < 5; k++) {
    const roomId = await room()
    const productId = await createProduct(stack, admin, {
      title: `双规格红茶${k}`,
      priceFen: undefined,
      specGroups: [{ name: '规格', values: ['小罐', '大罐'] }],
      skus: [
        { specs: { 规格: '小罐' }, priceFen: 1000, stock: 6 },
        { specs: { 规格: '大罐' }, priceFen: 3000, stock: 6 },
      ],
    })
    await stack.ok('admin', { action: 'pushGoods', roomId, productId }, admin)
    const [viewer, x, y] = await users(3, 'two-skus')
    await stack.ok('live', { action: 'enter', roomId }, viewer!.token)
    const first = await sync(roomId, viewer!.token)
    const { product } = await stack.ok('catalog', { action: 'get', productId }, viewer!.token)
    const [small, big] = product.skus
    await Promise.all(
      [
        [x, small],
        [y, big],
      ].map(([u, sku]: any) =>
        stack.ok(
          'order',
          { action: 'create', items: [{ productId, skuId: sku.id, qty: 2 }], idempotencyKey: `two-${k}-${sku.id}` },
          u.token,
        ),
      ),
    )
    const next = await sync(roomId, viewer!.token, first.cursor)
    expect(next.room?.goods.find((g: any) => g.id === productId)?.stock).toBe(8)
  }
}, 120_000)

const refused = async (fn: string, data: object, token: string) => {
  const r = await stack.call(fn, data, token)
  expect(r.body.ok).toBe(false)
  return (r.body as any).error as { code: string; message: string }
}

test('a comment keeps no hidden or bidi characters; one empty after cleaning is refused', async () => {
  const roomId = await room()
  const [viewer] = await users(1, 'commenter', () => '茶友小王')
  await stack.ok('live', { action: 'enter', roomId }, viewer!.token)
  const { comment } = await stack.ok('live', { action: 'comment', roomId, text: '\u202Egnp.exe 好\u200b茶' }, viewer!.token)
  expect(comment.text).toBe('gnp.exe 好茶')
  expect(await refused('live', { action: 'comment', roomId, text: '\u200b \u202e' }, viewer!.token)).toMatchObject({
    code: 'VALIDATION_FAILED',
    message: '请输入评论内容',
  })
  const { comments } = await sync(roomId, viewer!.token)
  expect(comments.map((c: any) => c.text)).toEqual(['gnp.exe 好茶'])
})

test('nicknames stored with hidden characters are cleaned in comments and the leaderboard; devLogin cleans its nickname', async () => {
  const roomId = await room()
  const [sharer, viewer] = await users(2, 'dirty-name')
  await sql(stack, 'UPDATE users SET nickname = $2 WHERE id = $1', [sharer!.user.id, '\u202E王\u200b小明\n'])
  await stack.ok('live', { action: 'enter', roomId }, sharer!.token)
  await stack.ok('live', { action: 'enter', roomId, sharerId: sharer!.user.id }, viewer!.token)
  const { comment } = await stack.ok('live', { action: 'comment', roomId, text: '来了' }, sharer!.token)
  expect(comment.nickname).toBe('王小明')
  const { comments } = await sync(roomId, viewer!.token)
  expect(comments.map((c: any) => c.nickname)).toEqual(['王小明'])
  const board = await stack.ok('live', { action: 'leaderboard', roomId }, viewer!.token)
  expect(board.entries).toEqual([{ rank: 1, userId: sharer!.user.id, nickname: '王小明', invites: 1 }])

  const clean = await stack.login(`dev-nick-${n++}`, '\u202E茶\u200b客\n')
  expect(clean.user.nickname).toBe('茶客')
  expect((await stack.call('auth', { action: 'devLogin', openid: `dev-nick-${n++}`, nickname: '\u200b' })).body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED' },
  })
})

test('the top-3 award skips staff (a sharer in ADMIN_OPENIDS leading the board); the leaderboard stays exact', async () => {
  const roomId = await room()
  const assistant = await stack.login('shop-assistant')
  const fans = await users(3, 'award-fan')
  const viewers = await users(12, 'award-viewer')
  // The assistant brings 5 viewers, the fans 3, 2 and 1: the assistant leads the board.
  const bring = [assistant, assistant, assistant, assistant, assistant, fans[0]!, fans[0]!, fans[0]!, fans[1]!, fans[1]!, fans[2]!]
  for (const [i, s] of bring.entries()) await stack.ok('live', { action: 'enter', roomId, sharerId: s.user.id }, viewers[i]!.token)
  const board = await stack.ok('live', { action: 'leaderboard', roomId }, viewers[0]!.token)
  expect(board.entries.map((e: any) => [e.userId, e.invites])).toEqual([
    [assistant.user.id, 5],
    [fans[0]!.user.id, 3],
    [fans[1]!.user.id, 2],
    [fans[2]!.user.id, 1],
  ])
  const couponId = await coupon({ title: '分享榜奖励', stock: 100 })
  const { awarded } = await stack.ok('admin', { action: 'awardTopSharers', roomId, couponId }, admin)
  expect(awarded).toEqual(fans.map((f) => f.user.id))
  const holders = await sql(stack, 'SELECT user_id FROM user_coupons WHERE coupon_id = $1 ORDER BY user_id', [couponId])
  expect(holders.map((h) => h.user_id)).toEqual(fans.map((f) => f.user.id).sort())
})

test('the top-3 award is once per room whatever the coupon, racing awards included; the coupon is checked first', async () => {
  const roomId = await room()
  // Nobody watched yet: a made-up coupon is refused all the same, by the post-live grant too.
  expect(await refused('admin', { action: 'issueRoomCoupon', roomId: await room(), couponId: 'cp_ffffffffffffffff' }, admin)).toMatchObject(
    {
      code: 'NOT_FOUND',
    },
  )
  // No sharer yet: a made-up coupon is refused all the same.
  expect(await refused('admin', { action: 'awardTopSharers', roomId, couponId: 'cp_ffffffffffffffff' }, admin)).toMatchObject({
    code: 'NOT_FOUND',
    message: '优惠券不存在',
  })
  const [sharer] = await users(1, 'once-sharer')
  for (const v of await users(2, 'once-viewer')) await stack.ok('live', { action: 'enter', roomId, sharerId: sharer!.user.id }, v.token)
  // Prizes are grants outside the claim stock: a coupon kept only for prizes (stock 0) is one of them.
  const prizes = await Promise.all(Array.from({ length: 6 }, (_, i) => coupon({ title: `分享奖励${i}`, stock: i === 0 ? 0 : 10 })))
  const awards = await Promise.all(prizes.map((couponId) => stack.call('admin', { action: 'awardTopSharers', roomId, couponId }, admin)))
  const won = prizes.filter((_, i) => awards[i]!.body.ok)
  expect(won).toHaveLength(1)
  for (const a of awards.filter((x) => !x.body.ok))
    expect(a.body).toMatchObject({ ok: false, error: { code: 'ROOM_ALREADY_AWARDED', message: '本场直播已发过分享榜奖励' } })
  expect((awards.find((a) => a.body.ok)!.body as any).data.awarded).toEqual([sharer!.user.id])
  // A retry with the winning coupon answers who it went to and gives nothing more.
  expect(await stack.ok('admin', { action: 'awardTopSharers', roomId, couponId: won[0] }, admin)).toEqual({ awarded: [sharer!.user.id] })
  const held = await sql(stack, 'SELECT coupon_id FROM user_coupons WHERE user_id = $1', [sharer!.user.id])
  expect(held.map((h) => h.coupon_id)).toEqual(won)
})

test('an ended room takes no lottery and no push; a draw after the end counts only who entered before it', async () => {
  const roomId = await room()
  const before = await users(3, 'before-end')
  for (const v of before) await stack.ok('live', { action: 'enter', roomId }, v.token)
  const { lotteryId } = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 10, pool: 'viewers', prize: '茶饼' }, admin)
  const productId = await createProduct(stack, admin, { stock: 5 })
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
  const [late] = await users(1, 'replay-watcher')
  await stack.ok('live', { action: 'enter', roomId }, late!.token)
  const { candidates } = await stack.ok('admin', { action: 'drawLottery', lotteryId }, admin)
  expect([...candidates].sort()).toEqual(before.map((v) => v.user.id).sort())
  expect(await refused('admin', { action: 'commitLottery', roomId, winners: 1, pool: 'viewers' }, admin)).toMatchObject({
    code: 'ROOM_STATUS_CHANGED',
    message: '直播已结束',
  })
  expect(await refused('admin', { action: 'pushGoods', roomId, productId }, admin)).toMatchObject({ code: 'ROOM_STATUS_CHANGED' })
})

test('a purchase from the replay is attributed to the room and counts in its orders', async () => {
  const roomId = await room()
  const productId = await createProduct(stack, admin, { title: '回放好茶', stock: 5 })
  await stack.ok('admin', { action: 'pushGoods', roomId, productId }, admin)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
  const [watcher] = await users(1, 'replay-buyer')
  await stack.ok('live', { action: 'enter', roomId }, watcher!.token)
  const { orderId } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], roomId, idempotencyKey: `replay-${n++}-${Date.now()}` },
    watcher!.token,
  )
  expect((await payOrder(stack, watcher!.token, orderId)).status).toBe(200)
  expect(await sql(stack, 'SELECT room_id FROM orders WHERE id = $1', [orderId])).toEqual([{ room_id: roomId }])
  expect(await stack.ok('admin', { action: 'roomStats', roomId }, admin)).toMatchObject({ status: 'ended', orders: 1 })
})

test('a sharers draw after the end counts only sharers credited before it, not a credit by a replay entry', async () => {
  const roomId = await room()
  const [early, late] = await users(2, 'pool-sharer')
  const viewers = await users(2, 'pool-viewer')
  await stack.ok('live', { action: 'enter', roomId, sharerId: early!.user.id }, viewers[0]!.token)
  const { lotteryId } = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 10, pool: 'sharers' }, admin)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
  await stack.ok('live', { action: 'enter', roomId }, late!.token)
  const replay = await stack.ok('live', { action: 'enter', roomId, sharerId: late!.user.id }, viewers[1]!.token)
  expect(replay.credited).toBe(true)
  const { candidates } = await stack.ok('admin', { action: 'drawLottery', lotteryId }, admin)
  expect(candidates).toEqual([early!.user.id])
})

test('admin text is people’s text and values stay sane: titles, anchor, prize, the start window, 满X减Y', async () => {
  const startsAt = new Date(Date.now() + 3600_000).toISOString()
  const create = (fields: object) => stack.call('admin', { action: 'createLiveRoom', title: '直播', startsAt, ...fields }, admin)
  const { roomId } = await stack.ok(
    'admin',
    { action: 'createLiveRoom', title: '\u202E秋茶\u200b直播', anchorName: '茶\u2066人', startsAt },
    admin,
  )
  const view = (await stack.ok('live', { action: 'enter', roomId }, admin)).room
  expect(view.title).toBe('秋茶直播')
  expect(view.anchor.name).toBe('茶人')
  for (const bad of [{ title: '\u200b' }, { anchorName: '\u202e ' }])
    expect((await create(bad)).body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  for (const ms of [-2 * 86_400_000, 400 * 86_400_000])
    expect((await create({ startsAt: new Date(Date.now() + ms).toISOString() })).body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: '开播时间需在过去一天到未来一年之内' },
    })
  expect((await create({ startsAt: new Date(Date.now() - 3600_000).toISOString() })).body.ok).toBe(true)
  // The room's images follow the products' image rule; the stream keeps its own.
  const imageRule = '图片须为本店图片（/media/…）、https:// 链接或云存储文件（cloud://…）'
  for (const field of ['poster', 'communityQr', 'anchorAvatar'])
    for (const bad of ['javascript:alert(1)', 'http://evil/x.png', '/media/../../etc/passwd', 'data:image/png;base64,AAAA'])
      expect((await create({ [field]: bad })).body).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', details: [{ path: field, message: imageRule }] },
      })
  const images = { poster: 'https://cdn.example.com/p.png', communityQr: 'cloud://env-1/qr.png', anchorAvatar: '/media/art/30/青.svg' }
  const withImages = (await create(images)).body as any
  expect(withImages.ok).toBe(true)
  const shown = (await stack.ok('live', { action: 'enter', roomId: withImages.data.roomId }, admin)).room
  expect([shown.poster, shown.communityQr, shown.anchor.avatar]).toEqual([images.poster, images.communityQr, images.anchorAvatar])
  expect((await create({ poster: '', communityQr: '', anchorAvatar: '' })).body.ok).toBe(true)
  expect(
    (await stack.call('admin', { action: 'commitLottery', roomId, winners: 1, pool: 'viewers', prize: '\u200b\u202e' }, admin)).body,
  ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  const { lotteryId } = await stack.ok(
    'admin',
    { action: 'commitLottery', roomId, winners: 1, pool: 'viewers', prize: '龙井\u200b一罐' },
    admin,
  )
  const { items } = await stack.ok('live', { action: 'lotteries', roomId }, admin)
  expect(items.find((l: any) => l.lotteryId === lotteryId).prize).toBe('龙井一罐')

  const couponCall = (fields: object) =>
    stack.call(
      'admin',
      { action: 'createCoupon', title: '满减券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 10, perUserLimit: 1, ...fields },
      admin,
    )
  expect((await couponCall({ valueFen: 5000, thresholdFen: 1000 })).body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: '减免金额不能超过使用门槛' },
  })
  expect((await couponCall({ title: '\u200b' })).body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  // Every refusal of the coupon's own checks is said in Chinese, as the message and under its field.
  const validFrom = new Date(Date.now() + 86_400_000).toISOString()
  for (const [fields, path, message] of [
    [{ validFrom, validTo: new Date(Date.now() + 3600_000).toISOString() }, 'validTo', '结束时间须晚于开始时间'],
    [{ valueFen: undefined }, 'valueFen', '满减券须填写减免金额'],
    [{ kind: 'percent', valueFen: undefined }, 'percentOff', '折扣券须填写折扣'],
    [{ scope: 'products' }, 'scopeIds', '指定范围的券须选择商品或分类'],
  ] as const)
    expect((await couponCall(fields)).body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message, details: [{ path, message }] },
    })
  // No threshold (无门槛), or the value up to the threshold, stay fine.
  expect((await couponCall({ valueFen: 5000, thresholdFen: 0 })).body.ok).toBe(true)
  expect((await couponCall({ valueFen: 1000, thresholdFen: 1000 })).body.ok).toBe(true)
  const made = (await couponCall({ title: '\u202e秋茶\u200b券' })).body as any
  const couponId = made.data.couponId as string
  const title = await sql(stack, 'SELECT title FROM coupons WHERE id = $1', [couponId])
  expect(title[0].title).toBe('秋茶券')
})
