/**
 * How the live room looks in Debian's chromium at 375 px (H5 build), after an outside review: the
 * 说点什么 text sits in the middle of its pill; no emoji that a font may lack (the lottery chip's gift
 * box, the hearts and the medals are drawn); a toast paints above the coupon pop-up; the replay's bar
 * keeps 分享 on a visible button over black.
 */
import { phoneBrowser, stationed } from '../helpers/browser'

const phone = phoneBrowser({ seed: true, viewport: { width: 375, height: 667 } })

/** Any character with an emoji presentation or a pictograph a font may lack (🎁, 🥇, ♥…). */
const PICTOGRAPH = /\p{Extended_Pictographic}/u

test('a live room: the input text centred, drawn icons only, the claim toast above the coupon pop-up', async () => {
  const { stack, page } = phone
  const admin = (await stack.login('admin')).token
  const { roomId } = await stack.ok(
    'admin',
    { action: 'createLiveRoom', title: '看相夜场', startsAt: new Date(Date.now() + 60_000).toISOString(), streamUrl: '/media/demo.mp4' },
    admin,
  )
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  await stack.ok('admin', { action: 'commitLottery', roomId, winners: 1, pool: 'viewers', prize: '白茶饼' }, admin)

  await page.goto(`${stack.url}/#/packages/live/room/index?id=${roomId}`)
  await stationed(page)
  await page.getByText('白茶饼').waitFor({ timeout: 15_000 })

  // The native input fills the pill, so its text box is centred in it.
  const pill = (await page.locator('.room-bottom__input').boundingBox())!
  const input = (await page.locator('.room-bottom__input input').boundingBox())!
  expect(Math.abs(input.y + input.height / 2 - (pill.y + pill.height / 2))).toBeLessThanOrEqual(1)
  expect(input.height).toBeGreaterThanOrEqual(pill.height - 2)

  // No pictograph in the room's text; the gift box and the like button's heart are drawn boxes.
  expect(await page.locator('.live-room').innerText()).not.toMatch(PICTOGRAPH)
  const gift = (await page.locator('.lottery-entry__icon').boundingBox())!
  expect(gift.width).toBeGreaterThan(8)
  const heart = (await page.locator('.room-bottom__heart').boundingBox())!
  expect(heart.width).toBeGreaterThan(8)
  await page.locator('.room-bottom__btn--like').click()
  await page.locator('.hearts__one').first().waitFor()
  expect(await page.locator('.hearts').innerText()).not.toMatch(PICTOGRAPH)

  // Claimed from the pop-up: the 领取成功 toast paints above the pop-up where they overlap.
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '看相专享券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 10, perUserLimit: 1, roomId },
    admin,
  )
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
  const popup = page.locator('.coupon-popup')
  await popup.getByText('立即领取', { exact: true }).click()
  // The toast shows for 1.5 s, less than a few round trips to a loaded browser take: it is measured in
  // the page in one go, in the first frame it shows.
  const shown = await page.waitForFunction(
    () => {
      const text = Array.from(document.querySelectorAll<HTMLElement>('.taro__toast *'))
        .reverse()
        .find((el) => el.textContent?.trim() === '领取成功')
      const pop = document.querySelector('.coupon-popup')
      const t = text?.getBoundingClientRect()
      if (!t || !pop || t.width === 0 || t.height === 0) return null
      const p = pop.getBoundingClientRect()
      const y = t.y + t.height / 2
      const onTop = [t.x + 2, t.x + t.width / 2, t.x + t.width - 2].map((x) => !!document.elementFromPoint(x, y)?.closest('.taro__toast'))
      const boxes = document.querySelectorAll('.taro__toast > div')
      const bg = getComputedStyle(boxes[boxes.length - 1]!).backgroundColor
      return { t: { y: t.y, height: t.height }, p: { y: p.y, height: p.height }, onTop, bg }
    },
    undefined,
    { timeout: 15_000 },
  )
  const { t, p, onTop, bg } = (await shown.jsonValue())!
  expect(onTop).toEqual([true, true, true])
  // They overlap (the toast is centred, the pop-up over the upper middle): the toast is opaque enough
  // that the pop-up's button doesn't show through it.
  expect(t.y < p.y + p.height && t.y + t.height > p.y).toBe(true)
  const alpha = Number(/rgba?\([^)]*,\s*([\d.]+)\)$/.exec(bg)?.[1] ?? '1')
  expect(alpha).toBeGreaterThanOrEqual(0.85)
}, 90_000)

test("the replay: the bar's 分享 is a visible button over the black band, not bare text", async () => {
  const { stack, page } = phone
  const admin = (await stack.login('admin')).token
  const ended = (await stack.ok('live', { action: 'list' }, admin)).ended[0]
  await page.goto(`${stack.url}/#/packages/live/room/index?id=${ended.id}`)
  await page.getByText('直播已结束').waitFor({ timeout: 15_000 })
  const share = page.locator('.room-bottom__btn--share')
  // The button's own background against the room's black: clearly lighter.
  const bg = await share.evaluate((el) => getComputedStyle(el).backgroundColor)
  const [r, g, b, a = 1] = (/rgba?\(([^)]*)\)/.exec(bg)?.[1] ?? '0,0,0,0').split(',').map(Number)
  const luminance = ((0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255) * a
  expect(luminance).toBeGreaterThan(0.1)
  expect(await page.locator('.live-room').innerText()).not.toMatch(PICTOGRAPH)
}, 60_000)
