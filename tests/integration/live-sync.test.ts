/**
 * Issue 14 on a real PostgreSQL: everything a viewer sees reaches them within one poll (the room's
 * version for all, the viewer's own for their claim and 预约), lotteries in the room with masked
 * winners, dropped vs room-only coupons, staff out of draws, the ended room, the share poster.
 */
import pg from 'pg'
import { createProduct, sql, untilBlockedBy } from '../helpers/mall'
import { liveKit } from '../helpers/live'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

let stack: Stack
let admin: string

// Two staff accounts: every one of them stays out of the draws.
beforeAll(async () => {
  stack = await startStack({ env: { ADMIN_OPENIDS: 'admin,shop-assistant' } })
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const { room, users, coupon, sync } = liveKit(
  () => stack,
  () => admin,
)

const stateOf = (view: any, couponId: string) => view.coupons.find((c: any) => c.couponId === couponId)?.state

test('a lottery committed and then drawn reaches a polling viewer in the next sync answer, winners masked, no candidate ids', async () => {
  const roomId = await room()
  const viewers = await users(6, 'poller', (i) => ['茶友小王', '西湖边的风', '小满', '阿福', '一叶知秋', '茶'][i]!)
  for (const v of viewers) await stack.ok('live', { action: 'enter', roomId }, v.token)
  const watcher = viewers[0]!
  const first = await sync(roomId, watcher.token)
  expect(first.room.lotteries).toEqual([])

  const { lotteryId, commitment } = await stack.ok(
    'admin',
    { action: 'commitLottery', roomId, winners: 6, pool: 'viewers', prize: '明前龙井一罐' },
    admin,
  )
  const committed = await sync(roomId, watcher.token, first.cursor)
  expect(committed.room.lotteries).toEqual([
    {
      lotteryId,
      pool: 'viewers',
      winners: 6,
      prize: '明前龙井一罐',
      commitment,
      status: 'committed',
      seed: null,
      candidateCount: null,
      winnerList: null,
    },
  ])

  const { winners, seed } = await stack.ok('admin', { action: 'drawLottery', lotteryId }, admin)
  const drawn = await sync(roomId, watcher.token, committed.cursor)
  const [lottery] = drawn.room.lotteries
  expect(lottery).toMatchObject({ lotteryId, status: 'drawn', seed, candidateCount: 6 })
  const masked: Record<string, string> = {
    [viewers[0]!.user.id]: '茶*王',
    [viewers[1]!.user.id]: '西*风',
    [viewers[2]!.user.id]: '小*',
    [viewers[3]!.user.id]: '阿*',
    [viewers[4]!.user.id]: '一*秋',
    [viewers[5]!.user.id]: '*',
  }
  expect(lottery.winnerList).toEqual(winners.map((id: string) => ({ userId: id, name: masked[id] })))
  // No view carries the candidates' ids: only live.verifyLottery does.
  expect(Object.keys(lottery)).not.toContain('candidates')
  expect(JSON.stringify(drawn.room)).not.toContain('西湖边的风')
  const verified = await stack.ok('live', { action: 'verifyLottery', lotteryId }, watcher.token)
  expect(verified).toMatchObject({ valid: true, winners, candidates: viewers.map((v) => v.user.id).sort() })
  // The console's list says the same.
  expect((await stack.ok('live', { action: 'lotteries', roomId }, admin)).items[0]).toEqual(lottery)
  // Nothing more changed: the next poll is the cursor alone.
  expect(Object.keys(await sync(roomId, watcher.token, drawn.cursor))).toEqual(['cursor'])
})

test("a claim changes only the claimer's next sync; another viewer's unchanged poll stays the cursor alone", async () => {
  const roomId = await room()
  const [claimer, other] = await users(2, 'claim-sync')
  for (const u of [claimer, other]) await stack.ok('live', { action: 'enter', roomId }, u!.token)
  const couponId = await coupon({ stock: 5 })
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  const mine = await sync(roomId, claimer!.token)
  const theirs = await sync(roomId, other!.token)
  expect(stateOf(mine.room, couponId)).toBe('claimable')

  await stack.ok('coupon', { action: 'claim', couponId }, claimer!.token)
  const next = await sync(roomId, claimer!.token, mine.cursor)
  expect(stateOf(next.room, couponId)).toBe('claimed')
  expect(next.room.coupons[0]).toMatchObject({ couponId, mine: 1 })
  // The claimed count is the shared view's, built at most the room cache's time (500 ms) before.
  expect([0, 1]).toContain(next.room.coupons[0].claimed)
  const unchanged = await stack.call('live', { action: 'sync', roomId, since: theirs.cursor }, other!.token)
  expect(Object.keys((unchanged.body as any).data)).toEqual(['cursor'])
  expect((unchanged.body as any).data.cursor).toBe(theirs.cursor)
  // And the claimer's following poll is quiet again.
  expect(Object.keys(await sync(roomId, claimer!.token, next.cursor))).toEqual(['cursor'])
  // Once the cache's time passed, a view built anew counts the claim.
  await new Promise((r) => setTimeout(r, 600))
  expect((await sync(roomId, other!.token)).room.coupons[0]).toMatchObject({ couponId, mine: 0, claimed: 1 })
})

test('a 预约 changes only the subscriber’s next sync', async () => {
  const roomId = await room('upcoming')
  const [fan, other] = await users(2, 'subscribe-sync')
  for (const u of [fan, other]) await stack.ok('live', { action: 'enter', roomId }, u!.token)
  const mine = await sync(roomId, fan!.token)
  const theirs = await sync(roomId, other!.token)
  expect(mine.room.subscribed).toBe(false)
  await stack.ok('live', { action: 'subscribe', roomId }, fan!.token)
  const next = await sync(roomId, fan!.token, mine.cursor)
  expect(next.room.subscribed).toBe(true)
  expect(Object.keys(await sync(roomId, other!.token, theirs.cursor))).toEqual(['cursor'])
})

test('raced claims of a dropped room coupon never over-claim, and every claimer’s next sync shows 已领取 or 已抢光', async () => {
  const roomId = await room()
  const couponId = await coupon({ stock: 5, roomId })
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  const claimers = await users(40, 'racer')
  const [bystander] = await users(1, 'bystander')
  for (const u of [...claimers, bystander!]) await stack.ok('live', { action: 'enter', roomId }, u.token)
  const cursors = await Promise.all(claimers.map((u) => sync(roomId, u.token).then((s) => s.cursor as string)))
  const watching = await sync(roomId, bystander!.token)

  const results = await Promise.all(claimers.map((u) => stack.call('coupon', { action: 'claim', couponId }, u.token)))
  const won = results.map((r) => r.body.ok)
  expect(won.filter(Boolean)).toHaveLength(5)
  for (const r of results.filter((x) => !x.body.ok)) expect((r.body as any).error.code).toBe('COUPON_SOLD_OUT')
  const [{ claimed, held }] = await sql(
    stack,
    'SELECT c.claimed, (SELECT count(*)::int FROM user_coupons u WHERE u.coupon_id = c.id) AS held FROM coupons c WHERE c.id = $1',
    [couponId],
  )
  expect([claimed, held]).toEqual([5, 5])

  const next = await Promise.all(claimers.map((u, i) => sync(roomId, u.token, cursors[i])))
  next.forEach((s, i) => expect(stateOf(s.room, couponId)).toBe(won[i] ? 'claimed' : 'sold_out'))
  // The last unit changed the chip for everyone: the bystander's next poll has the room, 已抢光.
  expect(stateOf((await sync(roomId, bystander!.token, watching.cursor)).room, couponId)).toBe('sold_out')
}, 120_000)

test('a shop coupon dropped in a room stays in the claim center and is claimable after the room ends', async () => {
  const roomId = await room()
  const [v, late] = await users(2, 'shop-coupon')
  await stack.ok('live', { action: 'enter', roomId }, v!.token)
  const couponId = await coupon({ title: '全店满减券' })
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  const center = (await stack.ok('coupon', { action: 'center' }, v!.token)).items
  expect(center.find((c: any) => c.couponId === couponId)).toMatchObject({ state: 'claimable', roomId: null })

  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
  const ended = await sync(roomId, v!.token)
  expect(ended.room.coupons.find((c: any) => c.couponId === couponId)).toMatchObject({ state: 'claimable', roomId: null })
  expect((await stack.ok('coupon', { action: 'center' }, late!.token)).items.map((c: any) => c.couponId)).toContain(couponId)
  await stack.ok('coupon', { action: 'claim', couponId }, late!.token)
  await stack.ok('coupon', { action: 'claim', couponId }, v!.token)
  expect(stateOf((await sync(roomId, v!.token, ended.cursor)).room, couponId)).toBe('claimed')
})

test('a room-only coupon: never in the center, claimable only in its room while live, 已结束 after', async () => {
  const roomId = await room()
  const otherRoom = await room()
  const [v, w] = await users(2, 'room-only')
  for (const u of [v, w]) await stack.ok('live', { action: 'enter', roomId }, u!.token)
  const couponId = await coupon({ title: '直播专享券', roomId })
  const refused = async (token: string, message: RegExp) => {
    const r = await stack.call('coupon', { action: 'claim', couponId }, token)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'COUPON_NOT_ACTIVE' } })
    expect((r.body as any).error.message).toMatch(message)
  }
  // Not dropped yet: not claimable, not in the center.
  await refused(v!.token, /直播间发放后领取/)
  expect((await stack.ok('coupon', { action: 'center' }, v!.token)).items.map((c: any) => c.couponId)).not.toContain(couponId)

  // Another room can't drop it; an unknown room can't own one.
  const other = await stack.call('admin', { action: 'dropCoupon', roomId: otherRoom, couponId }, admin)
  expect(other.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '这张券是其他直播间的专享券' } })
  const nowhere = await stack.call(
    'admin',
    { action: 'createCoupon', title: 'x', kind: 'fixed', valueFen: 1, thresholdFen: 0, stock: 1, perUserLimit: 1, roomId: 'r_nowhere' },
    admin,
  )
  expect(nowhere.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })

  // The anchor's list: the shop's claimable coupons and this room's own, not the other room's.
  const otherOnly = await coupon({ title: '别的直播间专享', roomId: otherRoom })
  const before = (await stack.ok('admin', { action: 'roomCoupons', roomId }, admin)).items
  expect(before.find((c: any) => c.couponId === couponId)).toMatchObject({ roomId, dropped: false })
  expect(before.map((c: any) => c.couponId)).not.toContain(otherOnly)
  expect(before.filter((c: any) => c.roomId === null).length).toBeGreaterThan(0)

  const { room: view } = await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  expect(view.coupons.find((c: any) => c.couponId === couponId)).toMatchObject({ state: 'claimable', roomId })
  expect((await stack.ok('admin', { action: 'roomCoupons', roomId }, admin)).items.find((c: any) => c.couponId === couponId).dropped).toBe(
    true,
  )
  await stack.ok('coupon', { action: 'claim', couponId }, v!.token)
  expect((await stack.ok('coupon', { action: 'center' }, v!.token)).items.map((c: any) => c.couponId)).not.toContain(couponId)

  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
  await refused(w!.token, /直播已结束/)
  expect(stateOf((await sync(roomId, w!.token)).room, couponId)).toBe('ended')
  expect(stateOf((await sync(roomId, v!.token)).room, couponId)).toBe('claimed')
  // Claimed before the end, it stays the claimer's to use.
  expect((await stack.ok('coupon', { action: 'mine' }, v!.token)).items.find((c: any) => c.couponId === couponId).status).toBe('available')
  // An ended room gets no new room-only coupons.
  const ended = await stack.call(
    'admin',
    { action: 'createCoupon', title: 'x', kind: 'fixed', valueFen: 1, thresholdFen: 0, stock: 1, perUserLimit: 1, roomId },
    admin,
  )
  expect(ended.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
})

test("a room can't end under a claim of its room-only coupon that already passed the check", async () => {
  const roomId = await room()
  const couponId = await coupon({ stock: 1000, roomId })
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  const [v] = await users(1, 'end-racer')
  await stack.ok('live', { action: 'enter', roomId }, v!.token)
  // Another session holds the coupon's row: the claim passes the room check, then waits at the stock.
  const holder = new pg.Client({ connectionString: stack.databaseUrl })
  await holder.connect()
  try {
    await holder.query('BEGIN')
    await holder.query('UPDATE coupons SET claimed = claimed WHERE id = $1', [couponId])
    const claim = stack.call('coupon', { action: 'claim', couponId }, v!.token)
    await untilBlockedBy(stack, holder)
    const end = stack.call('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
    // Both wait now (the end behind the claim, not behind the test's lock): seen in PostgreSQL, not
    // hoped for after a pause a loaded machine could outrun.
    await until(async () => {
      const [{ n }] = await sql(stack, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0')
      return n >= 2
    }, 15_000)
    // The end waits for the claim in flight: the room is still live while it can commit.
    expect((await sql(stack, 'SELECT status FROM live_rooms WHERE id = $1', [roomId]))[0].status).toBe('live')
    await holder.query('ROLLBACK')
    expect((await claim).body.ok).toBe(true)
    expect((await end).body.ok).toBe(true)
  } finally {
    await holder.end()
  }
  const [w] = await users(1, 'after-end')
  expect((await stack.call('coupon', { action: 'claim', couponId }, w!.token)).body).toMatchObject({ error: { code: 'COUPON_NOT_ACTIVE' } })
})

test('staff are never candidates: a viewers draw among staff and one shopper picks the shopper', async () => {
  const roomId = await room()
  const boss = await stack.login('admin')
  const assistant = await stack.login('shop-assistant')
  const [shopper] = await users(1, 'only-shopper', () => '喝茶不加糖')
  for (const u of [boss, assistant, shopper!]) await stack.ok('live', { action: 'enter', roomId }, u.token)
  // Staff sharing the room are no candidates of the sharers pool either.
  const [friend] = await users(1, 'staff-friend')
  await stack.ok('live', { action: 'enter', roomId, sharerId: assistant.user.id }, friend!.token)
  const { lotteryId } = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 5, pool: 'viewers', prize: '茶具' }, admin)
  const drawn = await stack.ok('admin', { action: 'drawLottery', lotteryId }, admin)
  expect(drawn.candidates).toEqual([shopper!.user.id, friend!.user.id].sort())
  expect(drawn.winners).not.toContain(boss.user.id)
  expect(drawn.winners).not.toContain(assistant.user.id)
  const sharers = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 5, pool: 'sharers' }, admin)
  // Nobody but staff shared: no candidate, so no draw (it would be 已开奖 with no winner); the lottery stays open.
  expect((await stack.call('admin', { action: 'drawLottery', lotteryId: sharers.lotteryId }, admin)).body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: '还没有分享者，暂不能开奖' },
  })
  expect(await sql(stack, 'SELECT status FROM lotteries WHERE id = $1', [sharers.lotteryId])).toEqual([{ status: 'committed' }])

  const view = (await sync(roomId, shopper!.token)).room.lotteries.find((l: any) => l.lotteryId === lotteryId)
  expect(view.candidateCount).toBe(2)
  expect(view.winnerList.find((w: any) => w.userId === shopper!.user.id).name).toBe('喝*糖')
})

test('an ended room shows no 讲解中 card but still lists the goods it showed; the anchor is on top', async () => {
  const roomId = await room('live', { anchorName: '茶艺师阿青', anchorAvatar: '/media/art/30/青.svg' })
  const [v] = await users(1, 'replay')
  const productId = await createProduct(stack, admin, { title: '回放茶', priceFen: 1990, stock: 5 })
  await stack.ok('admin', { action: 'pushGoods', roomId, productId }, admin)
  const live = (await stack.ok('live', { action: 'enter', roomId }, v!.token)).room
  expect(live.pinned).toMatchObject({ id: productId })
  expect(live.anchor).toEqual({ name: '茶艺师阿青', avatar: '/media/art/30/青.svg' })
  const before = await sync(roomId, v!.token)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
  const ended = (await sync(roomId, v!.token, before.cursor)).room
  expect(ended).toMatchObject({ status: 'ended', pinned: null })
  expect(ended.goods.map((g: any) => g.id)).toContain(productId)

  // A room created without an anchor is the shop's, with the avatar the host ships.
  const plain = await room('upcoming')
  const upcoming = (await sync(plain, v!.token)).room
  expect(upcoming.anchor).toEqual({ name: '好茶小铺', avatar: '/media/files/anchor-avatar.svg' })
  expect(upcoming.pinned).toBeNull()
  const avatar = await fetch(`${stack.url}${upcoming.anchor.avatar}`)
  expect(avatar.status).toBe(200)
  expect(avatar.headers.get('content-type')).toMatch(/image\/svg/)
})

test('arrivals name the viewers who entered since the cursor (the latest 3, earliest first), cleaned of hidden characters', async () => {
  const roomId = await room()
  const [watcher] = await users(1, 'arrivals-watcher')
  await stack.ok('live', { action: 'enter', roomId }, watcher!.token)
  const first = await sync(roomId, watcher!.token)
  expect(first.arrivals).toBeUndefined()
  const [a, b] = await users(2, 'arrival', (i) => ['茶友小王', '西湖边的风'][i]!)
  await sql(stack, `UPDATE users SET nickname = '西湖边' || chr(8203) || '的风' || chr(8238) WHERE id = $1`, [b!.user.id])
  await stack.ok('live', { action: 'enter', roomId }, a!.token)
  await stack.ok('live', { action: 'enter', roomId }, b!.token)
  const two = await sync(roomId, watcher!.token, first.cursor)
  expect(two.viewerCount).toBe(3)
  expect(two.arrivals).toEqual(['茶友小王', '西湖边的风'])
  const crowd = await users(5, 'crowd', (i) => `茶客${i + 1}号`)
  for (const u of crowd) await stack.ok('live', { action: 'enter', roomId }, u.token)
  const five = await sync(roomId, watcher!.token, two.cursor)
  expect(five.arrivals).toEqual(['茶客3号', '茶客4号', '茶客5号'])
  expect(Object.keys(await sync(roomId, watcher!.token, five.cursor))).toEqual(['cursor'])
})

test('the cursor is strict: a bad one is VALIDATION_FAILED, an earlier build’s five- or six-part one a fresh answer', async () => {
  const roomId = await room()
  const [v] = await users(1, 'cursor')
  await stack.ok('live', { action: 'enter', roomId }, v!.token)
  for (const since of ['nonsense', '1.2.3', '1.2.3.4.5.6.7.8', '-1.0.0.0.0.0.0'])
    expect((await stack.call('live', { action: 'sync', roomId, since }, v!.token)).body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    })
  const old = await sync(roomId, v!.token, '1.0.0.0.1')
  expect(old.room).toMatchObject({ id: roomId })
  expect(old.cursor.split('.')).toHaveLength(7)
  const six = await sync(roomId, v!.token, '1.0.0.0.1.0')
  expect(six.room).toMatchObject({ id: roomId })
})

test('sharePoster answers a mini-program code of the room with the caller as sharer, and the path it opens', async () => {
  const roomId = await room()
  const [v] = await users(1, 'poster')
  const poster = await stack.ok('live', { action: 'sharePoster', roomId }, v!.token)
  const scene = `${roomId.slice(2)}${v!.user.id.slice(2)}`
  expect(scene).toHaveLength(32)
  expect(poster.path).toBe(`packages/live/room/index?id=${roomId}&sharerId=${v!.user.id}`)
  expect(poster.code).toContain(encodeURIComponent(`scene=${scene}`))
  expect((await fetch(`${stack.url}${poster.code}`)).status).toBe(200)
  expect((await stack.call('live', { action: 'sharePoster', roomId: 'r_nowhere' }, v!.token)).body).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  })
})

test('the demo shop: the live room has an audience, comments, likes and sharers; the ended room its replay, shelf and masked winners', async () => {
  const demo = await startStack({ seed: true })
  try {
    const { token } = await demo.login('demo-visitor')
    const rooms = await demo.ok('live', { action: 'list' }, token)
    expect(rooms.live[0].viewerCount).toBeGreaterThanOrEqual(10)
    const live = (await demo.ok('live', { action: 'enter', roomId: rooms.live[0].id }, token)).room
    expect(live.anchor.name).toBe('好茶小铺·茶艺师阿青')
    expect(live.pinned).not.toBeNull()
    expect(live.likeCount).toBeGreaterThan(0)
    expect(live.coupons[0]).toMatchObject({ title: '直播专享 满99减15', state: 'claimable', roomId: live.id })
    expect((await fetch(`${demo.url}${live.anchor.avatar}`)).status).toBe(200)
    const first = await demo.ok('live', { action: 'sync', roomId: live.id }, token)
    expect(first.comments.length).toBeGreaterThanOrEqual(5)
    const board = await demo.ok('live', { action: 'leaderboard', roomId: live.id }, token)
    expect(board.entries.map((e: any) => [e.nickname, e.invites])).toEqual([
      ['茶友小王', 2],
      ['西湖边的风', 1],
    ])
    // The room-only coupon is claimed in the room, never in the center.
    expect((await demo.ok('coupon', { action: 'center' }, token)).items.map((c: any) => c.title)).not.toContain('直播专享 满99减15')

    const ended = (await demo.ok('live', { action: 'enter', roomId: rooms.ended[0].id }, token)).room
    expect(ended).toMatchObject({ status: 'ended', pinned: null, stream: { kind: 'video' } })
    expect(ended.goods.map((g: any) => g.title)).toEqual(['新人尝鲜 三款试饮装'])
    const [lottery] = ended.lotteries
    expect(lottery).toMatchObject({ status: 'drawn', candidateCount: 8 })
    for (const w of lottery.winnerList) expect(w.name).toMatch(/^.\*.?$/u)
    expect((await demo.ok('live', { action: 'verifyLottery', lotteryId: lottery.lotteryId }, token)).valid).toBe(true)

    // The console's figures are plausible: a peak of concurrent viewers, no more than who entered.
    const owner = (await demo.login('admin')).token
    const liveRoom = (await demo.ok('admin', { action: 'liveRoom', roomId: live.id }, owner)).room
    expect(liveRoom.peakViewers).toBe(9)
    expect(liveRoom.viewers).toBeGreaterThanOrEqual(liveRoom.peakViewers)
    expect((await demo.ok('admin', { action: 'liveRoom', roomId: ended.id }, owner)).room.peakViewers).toBe(6)
  } finally {
    await demo.stop()
  }
}, 90_000)

test("a product on a room's shelf renamed by the merchant reaches the room's viewers in one poll", async () => {
  const roomId = await room()
  const [v] = await users(1, 'shelf-watcher')
  const productId = await createProduct(stack, admin, { title: '旧名字的茶', stock: 5 })
  const elsewhere = await createProduct(stack, admin, { title: '不在直播间的茶', stock: 5 })
  await stack.ok('admin', { action: 'pushGoods', roomId, productId }, admin)
  await stack.ok('live', { action: 'enter', roomId }, v!.token)
  const first = await sync(roomId, v!.token)
  await stack.ok('admin', { action: 'updateProduct', productId: elsewhere, title: '改名不影响直播间' }, admin)
  const quiet = await sync(roomId, v!.token, first.cursor)
  expect(Object.keys(quiet)).toEqual(['cursor'])
  await stack.ok('admin', { action: 'updateProduct', productId, title: '新名字的茶' }, admin)
  const next = await sync(roomId, v!.token, quiet.cursor)
  expect(next.room.pinned.title).toBe('新名字的茶')
  expect(next.room.goods.map((g: any) => g.title)).toEqual(['新名字的茶'])
})
