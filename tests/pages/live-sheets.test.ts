/**
 * The live room's pop-ups and sheets on the built weapp in miniprogram-simulate, against a real stack:
 * what a viewer sees when the anchor drops a coupon or runs a lottery while they watch.
 */
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { appToken, loadPage, newLog, unloadPage, type LoadedPage, type WxLog } from '../helpers/weapp'

let stack: Stack
let admin: string
let roomId: string

beforeAll(async () => {
  stack = await startStack({ seed: true })
  admin = (await stack.login('admin')).token
  const created = await stack.ok(
    'admin',
    {
      action: 'createLiveRoom',
      title: '岩茶夜话',
      startsAt: new Date(Date.now() + 60_000).toISOString(),
      streamUrl: '/media/demo.mp4',
    },
    admin,
  )
  roomId = created.roomId
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
}, 90_000)
afterAll(() => stack?.stop())

const polls = (log: WxLog) => log.requests.filter((r) => r.endsWith('live sync')).length
/**
 * How many polls the page started between a change (just made) and showing all of `parts`: at most 1
 * is "within one poll", whatever the machine's load (0 when a poll already on its way brought it).
 */
async function pollsToShow(page: LoadedPage, log: WxLog, ...parts: string[]): Promise<number> {
  const before = polls(log)
  await page.waitForText(...parts)
  return polls(log) - before
}

const claimCalls = (log: WxLog) => log.requests.filter((r) => r === '/api/fn/coupon claim').length

test('a dropped coupon pops up within one poll, is claimed in one tap and says 已领取 at once; taps after it claim nothing', async () => {
  const log = newLog()
  const page = loadPage('packages/live/room/index', { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('好茶小铺', '直播中')
  const me = (await stack.ok('auth', { action: 'me' }, appToken())).user

  const { couponId } = await stack.ok(
    'admin',
    {
      action: 'createCoupon',
      title: '岩茶专场券',
      kind: 'fixed',
      valueFen: 1000,
      thresholdFen: 9900,
      stock: 50,
      perUserLimit: 1,
      validDays: 7,
      roomId,
    },
    admin,
  )
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  expect(await pollsToShow(page, log, '满99减10', '岩茶专场券', '直播专享', '领取后 7 天内有效', '立即领取')).toBeLessThanOrEqual(1)

  // Polling stops while the page is hidden: what changes now comes from the claim itself, not a poll.
  page.instance.onHide?.()
  const hiddenAt = polls(log)
  page.tapText('立即领取')
  page.tapText('立即领取') // a double tap: the second lands while the first claim is on its way
  await page.waitForText('已领取')
  expect(polls(log)).toBeLessThanOrEqual(hiddenAt + 1) // at most the claim's own sync
  expect(page.text()).not.toContain('立即领取')
  page.tapText('已领取')
  await new Promise((r) => setTimeout(r, 300))
  expect(claimCalls(log)).toBe(1)
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1 AND user_id = $2', [couponId, me.id])).toEqual([
    { n: 1 },
  ])
  expect(log.toasts).not.toContain('已达到领取上限')
  page.instance.onShow?.()

  // The pop-up fades after 已领取; the 券 entry still lists the coupon with its state.
  // (Its 2 s timer runs late on a loaded machine: waited for, not slept on.)
  await until(() => !page.text().includes('满99减10'), 15_000)
  page.tapText('券')
  await page.waitForText('直播间优惠券', '岩茶专场券', '已领取')
  page.tapText('关闭')
  unloadPage(page)
}, 60_000)

test('a coupon closed with × does not pop up again; the 券 sheet still offers it and claims it there', async () => {
  const log = newLog()
  const page = loadPage('packages/live/room/index', { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('好茶小铺', '直播中')
  const { couponId } = await stack.ok(
    'admin',
    {
      action: 'createCoupon',
      title: '茶具折扣券',
      kind: 'percent',
      percentOff: 15,
      maxOffFen: 3000,
      thresholdFen: 0,
      stock: 50,
      perUserLimit: 1,
    },
    admin,
  )
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  await page.waitForText('8.5折 最多减30', '茶具折扣券', '立即领取')
  // A shop coupon dropped here is no room-only one.
  expect(page.text()).not.toContain('直播专享')
  page.tapText('×')
  await until(() => !page.text().includes('8.5折 最多减30'))
  // Polls go on (the room's version moves with another drop) and it stays closed.
  const { couponId: other } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '限量小样券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 0, perUserLimit: 1, roomId },
    admin,
  )
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId: other }, admin)
  const after = polls(log)
  await until(() => polls(log) >= after + 2, 30_000)
  expect(page.text()).not.toContain('8.5折 最多减30')
  expect(page.text()).not.toContain('立即领取')

  page.tapText('券')
  await page.waitForText('直播间优惠券', '茶具折扣券', '限量小样券', '已抢光', '立即领取')
  page.tapText('立即领取')
  await page.waitForText('茶具折扣券')
  await until(() => !page.text().includes('立即领取'))
  expect(claimCalls(log)).toBe(1)
  // The pop-up did not come back for it either.
  expect(page.text()).not.toContain('8.5折 最多减30')
  unloadPage(page)
}, 60_000)

/** Waits for what the page shows or asked: counted, never timed (a loaded machine runs the 2 s polls late). */
async function until(check: () => boolean, ms = 15_000) {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('never happened')
    await new Promise((r) => setTimeout(r, 30))
  }
}

test('a committed lottery shows its icon within one poll; drawn, the result opens by itself with masked winners and verifies', async () => {
  // A sharer who brought a friend into the room: the only candidate of a sharers' lottery.
  const sharer = await stack.login('sheets-sharer', '分享达人')
  const friend = await stack.login('sheets-friend', '茶友小李')
  await stack.ok('live', { action: 'enter', roomId }, sharer.token)
  await stack.ok('live', { action: 'enter', roomId, sharerId: sharer.user.id }, friend.token)

  const log = newLog()
  const page = loadPage('packages/live/room/index', { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('好茶小铺', '直播中')

  const forViewers = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 10, pool: 'viewers', prize: '大红袍一罐' }, admin)
  expect(await pollsToShow(page, log, '大红袍一罐', '待开奖')).toBeLessThanOrEqual(1)

  // Every viewer of the room wins a draw of 10 among them (staff are never candidates): so does this one.
  await stack.ok('admin', { action: 'drawLottery', lotteryId: forViewers.lotteryId }, admin)
  expect(await pollsToShow(page, log, '开奖结果', '恭喜你中奖了！', '大红袍一罐')).toBeLessThanOrEqual(1)
  const drawn = (await stack.ok('live', { action: 'lotteries', roomId }, appToken())).items.find(
    (l: { lotteryId: string }) => l.lotteryId === forViewers.lotteryId,
  )
  expect(drawn.winnerList.length).toBe(3)
  for (const w of drawn.winnerList) expect(page.text()).toContain(w.name)
  expect(page.text()).toContain('3 人参与')
  expect(page.text()).not.toMatch(/u_[0-9a-z]{4,}/)
  page.tapText('验证')
  await page.waitForText('验证通过：种子与承诺一致，中奖结果可复算')
  page.tapText('关闭')

  // A sharers' lottery this viewer is no candidate of: 很遗憾未中奖, with the sharer's masked name.
  const forSharers = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 1, pool: 'sharers', prize: '紫砂壶一把' }, admin)
  await page.waitForText('紫砂壶一把', '待开奖')
  page.tapText('紫砂壶一把')
  await page.waitForText('直播间抽奖', '成功邀请好友的分享者参与', `承诺值 ${forSharers.commitment.slice(0, 8)}`)
  page.tapText('关闭')
  await stack.ok('admin', { action: 'drawLottery', lotteryId: forSharers.lotteryId }, admin)
  expect(await pollsToShow(page, log, '很遗憾未中奖', '紫砂壶一把', '1 人参与')).toBeLessThanOrEqual(1)
  const masked = (await stack.ok('live', { action: 'lotteries', roomId }, appToken())).items[0].winnerList[0].name
  expect(masked).not.toBe('分享达人')
  expect(page.text()).toContain(`中奖名单：${masked}`)
  expect(page.text()).not.toMatch(/u_[0-9a-z]{4,}/)
  unloadPage(page)
}, 60_000)

test('a lottery committed and drawn between two polls, or before the room opened: the winner sees 恭喜你中奖了！ once, not again after a reload', async () => {
  // Committed and drawn while the page is hidden (no polls): the room next sees it drawn.
  const log = newLog()
  let page = loadPage('packages/live/room/index', { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('好茶小铺', '直播中')
  page.instance.onHide?.()
  const fast = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 10, pool: 'viewers', prize: '金骏眉一罐' }, admin)
  await stack.ok('admin', { action: 'drawLottery', lotteryId: fast.lotteryId }, admin)
  page.instance.onShow?.()
  expect(await pollsToShow(page, log, '开奖结果', '恭喜你中奖了！', '金骏眉一罐')).toBeLessThanOrEqual(1)
  page.tapText('关闭')
  unloadPage(page)

  // A reload: the result was seen, it does not open again.
  const quiet = async () => {
    const p = loadPage('packages/live/room/index', { id: roomId }, { apiBase: stack.url, log })
    await p.waitForText('好茶小铺', '直播中')
    const after = polls(log)
    await until(() => polls(log) >= after + 2, 30_000)
    expect(p.text()).not.toContain('开奖结果')
    expect(p.text()).not.toContain('恭喜你中奖了！')
    return p
  }
  unloadPage(await quiet())

  // Drawn while away from the room: the next entry shows it, once.
  const away = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 10, pool: 'viewers', prize: '正山小种一盒' }, admin)
  await stack.ok('admin', { action: 'drawLottery', lotteryId: away.lotteryId }, admin)
  page = loadPage('packages/live/room/index', { id: roomId }, { apiBase: stack.url, log })
  await page.waitForText('开奖结果', '恭喜你中奖了！', '正山小种一盒')
  unloadPage(page)
  unloadPage(await quiet())
}, 60_000)
