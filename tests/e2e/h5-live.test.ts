/**
 * A viewer's walk through a live room in the H5 build (chromium at phone size, real stack): entering
 * by a friend's share link, a coupon dropped and claimed, a lottery committed and drawn, a reload,
 * the room ending. Every change of the room reaches the viewer within one poll.
 */
import type { Page, Request } from 'playwright-core'
import { pageToken, phoneBrowser } from '../helpers/browser'
import { sql } from '../helpers/mall'

/** Long enough for a few of the room's polls (every 2 s) on a busy machine. */
const WAIT_MS = 15_000

const phone = phoneBrowser({ seed: true, viewport: { width: 375, height: 812 }, deviceScaleFactor: 1 })

const action = (r: Request) => {
  try {
    return (JSON.parse(r.postData() ?? '{}') as { action?: string }).action
  } catch {
    return undefined
  }
}
const isCall = (r: Request, fn: string, act: string) => r.url().endsWith(`/api/fn/${fn}`) && action(r) === act

/** The room's polls the page has started so far (live.sync calls, the claim's own sync included). */
let syncs = 0

/**
 * How many syncs the page started between a change (just made) and showing `text`: at most 1 is
 * "within one poll", whatever the machine's load (0 when a poll already on its way brought it).
 */
async function pollsToShow(page: Page, text: string): Promise<number> {
  const before = syncs
  await page.getByText(text, { exact: true }).first().waitFor({ timeout: WAIT_MS })
  return syncs - before
}

/** Right after a poll of the room answered: the next one is a whole poll away. */
const afterPoll = (page: Page) => page.waitForResponse((res) => isCall(res.request(), 'live', 'sync'), { timeout: 10_000 })

test('a viewer enters by a share link, claims a dropped coupon, sees a lottery drawn, reloads, and sees the room end', async () => {
  const { stack, page } = phone
  const admin = (await stack.login('admin')).token
  const { roomId } = await stack.ok(
    'admin',
    { action: 'createLiveRoom', title: '岩茶夜话', startsAt: new Date(Date.now() + 60_000).toISOString(), streamUrl: '/media/demo.mp4' },
    admin,
  )
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  const sharer = await stack.login('h5-live-sharer', '分享达人')
  await stack.ok('live', { action: 'enter', roomId }, sharer.token)
  const claims: Request[] = []
  page.on('request', (r) => {
    if (isCall(r, 'coupon', 'claim')) claims.push(r)
    if (isCall(r, 'live', 'sync')) syncs++
  })

  // Entering by the sharer's link: the sharer is credited, on the leaderboard sheet.
  await page.goto(`${stack.url}/#/packages/live/room/index?id=${roomId}&sharerId=${sharer.user.id}`)
  const room = page.locator('.live-room').last()
  await room.getByText('直播中', { exact: true }).waitFor({ timeout: 15_000 })
  const token = await pageToken(page)
  const me = (await stack.ok('auth', { action: 'me' }, token)).user
  await room.getByText('排行榜', { exact: true }).click()
  const sheet = page.locator('.bottom-sheet')
  await sheet.getByText('分享排行榜').waitFor()
  await sheet.getByText('分享达人').waitFor()
  expect(await sheet.innerText()).toMatch(/分享达人\s*1 人/)
  expect(await sheet.innerText()).toContain('我的排名：未上榜')
  await sheet.getByText('关闭', { exact: true }).click()
  await sheet.waitFor({ state: 'detached' })

  // A room-only coupon dropped while the viewer watches pops up within one poll.
  const roomCoupon = await stack.ok(
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
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId: roomCoupon.couponId }, admin)
  expect(await pollsToShow(page, '满99减10')).toBeLessThanOrEqual(1)
  const popup = page.locator('.coupon-popup')
  expect(await popup.innerText()).toMatch(/直播专享[\s\S]*岩茶专场券[\s\S]*领取后 7 天内有效[\s\S]*立即领取/)

  // One tap claims it; the button says 已领取 long before the next poll could have told it.
  await afterPoll(page)
  const before = syncs
  await popup.getByText('立即领取', { exact: true }).click()
  await popup.getByText('已领取', { exact: true }).waitFor({ timeout: WAIT_MS })
  expect(syncs - before).toBeLessThanOrEqual(1) // at most the claim's own sync
  expect(claims).toHaveLength(1)
  // It fades away by itself (after ~2 s, later on a loaded machine); the claim was made once.
  await popup.waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(
    await sql(stack, 'SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1 AND user_id = $2', [roomCoupon.couponId, me.id]),
  ).toEqual([{ n: 1 }])

  // A lottery committed: its icon within one poll; drawn: the result sheet opens by itself.
  const lottery = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 5, pool: 'viewers', prize: '大红袍一罐' }, admin)
  expect(await pollsToShow(page, '待开奖')).toBeLessThanOrEqual(1)
  await room.getByText('大红袍一罐').click()
  await sheet.getByText(`承诺值 ${lottery.commitment.slice(0, 8)}…${lottery.commitment.slice(-8)}`).waitFor()
  await sheet.getByText('关闭', { exact: true }).click()
  await stack.ok('admin', { action: 'drawLottery', lotteryId: lottery.lotteryId }, admin)
  // Two viewers entered (the sharer and this one), staff never are candidates: both win.
  expect(await pollsToShow(page, '恭喜你中奖了！')).toBeLessThanOrEqual(1)
  const result = await sheet.innerText()
  expect(result).toContain('2 人参与')
  const { items } = await stack.ok('live', { action: 'lotteries', roomId }, token)
  for (const w of items[0].winnerList) expect(result).toContain(w.name)
  expect(await page.locator('body').innerText()).not.toMatch(/u_[0-9a-z]{4,}/)
  await sheet.getByText('验证', { exact: true }).click()
  await sheet.getByText('验证通过：种子与承诺一致，中奖结果可复算').waitFor()
  // The sheet is above the bottom bar: its last line takes the tap (a covered one would refuse it).
  await sheet.getByText('查看抽奖详情 ›', { exact: true }).click()
  await sheet.getByText('直播间抽奖', { exact: true }).waitFor()
  expect(await sheet.innerText()).toContain(`种子 ${items[0].seed}`)
  await sheet.getByText('关闭', { exact: true }).click()

  // A reload in the middle of the show: the room as it was (the claimed coupon doesn't pop up again,
  // the lottery drawn), the sharer still credited once, and changes still arrive.
  await page.reload()
  await room.getByText('直播中', { exact: true }).waitFor({ timeout: 15_000 })
  await room.getByText('已开奖', { exact: true }).waitFor()
  expect(await page.locator('.coupon-popup').count()).toBe(0)
  const board = await stack.ok('live', { action: 'leaderboard', roomId }, token)
  expect(board.entries.map((e: { nickname: string; invites: number }) => [e.nickname, e.invites])).toEqual([['分享达人', 1]])

  // A shop coupon with one left, double-tapped: one claim.
  const shopCoupon = await stack.ok(
    'admin',
    {
      action: 'createCoupon',
      title: '茶具专享',
      kind: 'percent',
      percentOff: 15,
      maxOffFen: 3000,
      thresholdFen: 0,
      stock: 1,
      perUserLimit: 1,
    },
    admin,
  )
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId: shopCoupon.couponId }, admin)
  expect(await pollsToShow(page, '8.5折 最多减30')).toBeLessThanOrEqual(1)
  await popup.getByText('立即领取', { exact: true }).dblclick()
  await popup.getByText('已领取', { exact: true }).waitFor({ timeout: WAIT_MS })
  expect(claims).toHaveLength(2)
  expect(await sql(stack, 'SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1', [shopCoupon.couponId])).toEqual([{ n: 1 }])

  // A room-only coupon the viewer closes with ×: after the end, the 券 sheet says 已结束, not 立即领取.
  const lateCoupon = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '夜场加码券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 50, perUserLimit: 1, roomId },
    admin,
  )
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId: lateCoupon.couponId }, admin)
  expect(await pollsToShow(page, '夜场加码券')).toBeLessThanOrEqual(1)
  await popup.getByText('×', { exact: true }).click()
  await popup.waitFor({ state: 'detached' })

  // The show ends: within one poll the replay, no input, no likes.
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'ended' }, admin)
  expect(await pollsToShow(page, '直播已结束')).toBeLessThanOrEqual(1)
  expect(await room.getByText('直播中', { exact: true }).count()).toBe(0)
  expect(await page.locator('.room-bottom__input').count()).toBe(0)
  expect(await page.getByText('♥', { exact: true }).count()).toBe(0)
  expect(await page.locator('.stream-view video').count()).toBe(1)
  await room.getByText('券', { exact: true }).click()
  await sheet.getByText('直播间优惠券').waitFor()
  const coupons = await sheet.innerText()
  expect(coupons).toMatch(/夜场加码券[\s\S]*已结束/)
  expect(coupons).not.toContain('立即领取')
}, 90_000)
