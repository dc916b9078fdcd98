/**
 * The README's pictures, taken from what a shopper sees on a phone-sized screen once the data is
 * in: the home with its products, and a live room with its goods shelf and the comments of other
 * viewers arriving while watching. The walks are checked on every run; the pictures are written to
 * docs/img only with UPDATE_SCREENSHOTS=1 (`npm run build:h5 && UPDATE_SCREENSHOTS=1 npm run test:e2e`).
 */
import fs from 'node:fs'
import { phoneBrowser, saveScreenshot, stationed } from '../helpers/browser'

const phone = phoneBrowser({ seed: true })

/** A picture that is written is a real JPEG of the 2x screen and small enough for the README. */
function expectPicture(file: string | null) {
  if (!file) return
  const bytes = fs.readFileSync(file)
  expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff')
  expect(bytes.length).toBeLessThan(200_000)
}

test('the home, once its products and prices are in', async () => {
  const { stack, page } = phone
  await page.goto(stack.url)
  await stationed(page)
  await page.getByText('新人尝鲜 三款试饮装').first().waitFor({ timeout: 15_000 })
  const home = await page.locator('.home').innerText()
  expect(home).toContain('为你推荐')
  expect(home).toMatch(/新人尝鲜 三款试饮装\s*¥59\.00/)
  expectPicture(await saveScreenshot(page, 'h5-home'))
}, 60_000)

test('a live room from the 直播 list: the goods being explained, and comments arriving while watching', async () => {
  const { stack, page } = phone
  const roomTitle = '春茶品鉴 · 明前龙井现场冲泡'
  const lookup = await stack.login('screenshot-lookup')
  const room = (await stack.ok('live', { action: 'list' }, lookup.token)).live.find((r: { title: string }) => r.title === roomTitle)
  const say = async (openid: string, nickname: string, text: string) => {
    const viewer = await stack.login(openid, nickname)
    await stack.ok('live', { action: 'enter', roomId: room.id }, viewer.token)
    await stack.ok('live', { action: 'comment', roomId: room.id, text }, viewer.token)
  }
  const anchor = (await stack.ok('live', { action: 'sync', roomId: room.id }, lookup.token)).room.anchor.name
  await say('viewer-wang', '茶友小王', '这款龙井是今年的新茶吗？')
  await say('viewer-li', '爱喝茶的李姐', '已经领券了，等开抢')

  await page.goto(`${stack.url}/#/packages/live/list/index`)
  await page.getByText(roomTitle).first().click()
  await page.waitForURL(/packages\/live\/room\/index\?id=/, { timeout: 15_000 })
  const view = page.locator('.live-room').last()
  await view.getByText('爱喝茶的李姐').waitFor({ timeout: 15_000 })
  const shown = await view.innerText()
  // The full-screen room: the anchor on top, the explaining card, the dropped coupon popping up, the comments over the video.
  for (const text of [anchor, '人看过', '直播中', '讲解中', '明前龙井 特级', '直播专享 满99减15', '这款龙井是今年的新茶吗？']) {
    expect(shown).toContain(text)
  }

  // A comment posted while the page is open arrives through the room's polling.
  await say('viewer-zhao', '小赵', '刚下单了，期待发货')
  await view.getByText('刚下单了，期待发货').waitFor({ timeout: 15_000 })
  // The stream has started playing (a frame, not a black box), where the browser plays it at all.
  await page
    .waitForFunction(() => ((document.querySelector('video') as HTMLVideoElement | null)?.currentTime ?? 1) > 0.5, undefined, {
      timeout: 10_000,
    })
    .catch(() => undefined)
  expectPicture(await saveScreenshot(page, 'h5-live'))
}, 60_000)
