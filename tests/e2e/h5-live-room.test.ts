/**
 * The live room in the H5 build at phone size (375 px): the stream fills the screen, playing muted
 * (the browser autoplays only so) without VOD controls until 开启声音; comments over the video above
 * the fixed bottom bar, my own comment at once; 分享给好友 copies the room's link with me as the sharer.
 */
import type { Request } from 'playwright-core'
import { pageToken, phoneBrowser, stationed } from '../helpers/browser'

const phone = phoneBrowser({ seed: true, viewport: { width: 375, height: 667 } })

test('a viewer at 375 px: full-screen muted stream without controls, comments over it, the bar at the bottom, the link to share', async () => {
  const { stack, page } = phone
  const admin = (await stack.login('admin')).token
  const rooms = await stack.ok('live', { action: 'list' }, admin)
  const roomId = rooms.live[0].id
  const chatter = await stack.login('h5-chatter', '茶友小张')
  await stack.ok('live', { action: 'enter', roomId }, chatter.token)
  await stack.ok('live', { action: 'comment', roomId, text: '汤色真亮' }, chatter.token)

  await page.goto(`${stack.url}/#/packages/live/room/index?id=${roomId}`)
  await stationed(page)
  await page.getByText('茶友小张：').waitFor({ timeout: 15_000 })
  const box = async (sel: string) => (await page.locator(sel).first().boundingBox())!

  // The stream fills the phone and plays, muted, looping, with no controls, seek bar or center play button.
  expect(await box('.stream-view')).toEqual({ x: 0, y: 0, width: 375, height: 667 })
  const video = page.locator('.stream-view__video video')
  await page.waitForFunction(() => !document.querySelector<HTMLVideoElement>('.stream-view__video video')?.paused, undefined, {
    timeout: 10_000,
  })
  expect(await video.evaluate((v: HTMLVideoElement) => ({ muted: v.muted, loop: v.loop, controls: v.controls }))).toEqual({
    muted: true,
    loop: true,
    controls: false,
  })
  expect(await page.locator('.stream-view .taro-video-bar').isVisible()).toBe(false)
  expect(await page.locator('.stream-view .taro-video-cover').count()).toBe(0)
  await page.getByText('开启声音').click()
  await page.getByText('静音', { exact: true }).waitFor()
  expect(await video.evaluate((v: HTMLVideoElement) => v.muted)).toBe(false)

  // The bar sits at the bottom of the screen; the comments sit above it, over the video's left side.
  const bar = await box('.room-bottom')
  expect(bar.y + bar.height).toBeCloseTo(667, 0)
  const comments = await box('.comment-stream')
  expect(comments.y + comments.height).toBeLessThanOrEqual(bar.y)
  expect(comments.x + comments.width).toBeLessThan(375)

  // My own comment shows at once (from the comment call's answer: the room's polls are held meanwhile),
  // and once: still once after a poll made after it has brought it back from the server.
  let release = () => undefined as void
  const held = new Promise<void>((r) => (release = r))
  const isSync = (r: Request) => r.url().endsWith('/api/fn/live') && JSON.parse(r.postData() || '{}').action === 'sync'
  await page.route('**/api/fn/live', async (route) => {
    if (isSync(route.request())) await held
    await route.continue()
  })
  const input = page.locator('.room-bottom__input input')
  await input.fill('想看冲泡')
  await input.press('Enter')
  const mine = page.locator('.comment-stream__item', { hasText: '想看冲泡' })
  await mine.waitFor({ timeout: 15_000 })
  release()
  // Once the held polls have gone on their way (the handlers done), nothing is held any more.
  await page.unrouteAll({ behavior: 'wait' })
  // One poll at a time: when the next one starts, the held poll (answered after the comment) has been merged.
  await page.waitForRequest(isSync, { timeout: 15_000 })
  expect(await mine.count()).toBe(1)

  // 分享给好友 copies the room's link naming me as the sharer.
  const me = (await stack.ok('auth', { action: 'me' }, await pageToken(page))).user
  await page.locator('.room-bottom__btn--share').click()
  await page.getByText('分享给好友', { exact: true }).click()
  await page.getByText('链接已复制，发给好友一起看').waitFor()
  // Taro's H5 clipboard keeps what it copied in storage too (as `{ data }`).
  const copied = JSON.parse((await page.evaluate(() => localStorage.getItem('taro_clipboard')))!).data as string
  expect(copied).toContain(`正在直播｜${rooms.live[0].title}`)
  expect(copied).toContain(`#/packages/live/room/index?id=${roomId}&sharerId=${me.id}`)
}, 60_000)

test('the replay room: 直播已结束, no input, the goods that were shown', async () => {
  const { stack, page } = phone
  const admin = (await stack.login('admin')).token
  const ended = (await stack.ok('live', { action: 'list' }, admin)).ended[0]
  await page.goto(`${stack.url}/#/packages/live/room/index?id=${ended.id}`)
  await page.getByText('直播已结束').waitFor({ timeout: 15_000 })
  expect(await page.locator('.room-bottom__input').count()).toBe(0)
  await page.locator('.room-bottom__bag').click()
  await page.getByText('新人尝鲜 三款试饮装').waitFor()
  expect(await page.getByText('讲解中').count()).toBe(0)
}, 60_000)
