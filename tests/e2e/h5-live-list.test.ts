/** The 直播 list in the H5 build at 375 px: each card's badge and title never overlap; long titles take one line. */
import { phoneBrowser } from '../helpers/browser'

const phone = phoneBrowser({ seed: true, viewport: { width: 375, height: 812 }, deviceScaleFactor: 1 })

type Box = { x: number; y: number; width: number; height: number }
const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

test('live, upcoming and ended cards: 直播中 with the viewer count, the start time, 回放; no badge overlaps its title', async () => {
  const { stack, page } = phone
  const admin = (await stack.login('admin')).token
  // An upcoming room with a title far longer than a line.
  await stack.ok(
    'admin',
    {
      action: 'createLiveRoom',
      title: '秋季新茶品鉴会 · 武夷岩茶大红袍与正山小种现场冲泡对比讲解',
      startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    },
    admin,
  )
  await page.goto(`${stack.url}/#/packages/live/list/index`)
  const list = page.locator('.lives').last()
  await list.getByText('直播预告').waitFor({ timeout: 15_000 })
  if (process.env.CONSOLE_SHOT) await page.screenshot({ path: process.env.CONSOLE_SHOT, fullPage: true })

  const cards = list.locator('.lives__card')
  const n = await cards.count()
  expect(n).toBe(4)
  const texts: string[] = []
  for (let i = 0; i < n; i++) {
    const card = cards.nth(i)
    const badge = (await card.locator('.lives__badge').boundingBox())!
    const title = (await card.locator('.lives__title').boundingBox())!
    texts.push((await card.innerText()).replace(/\s+/g, ' '))
    expect(intersects(badge, title)).toBe(false)
    // A coming show's start sits under its title, off the poster, touching neither.
    const time = card.locator('.lives__time')
    if ((await time.count()) > 0) {
      const box = (await time.boundingBox())!
      expect(intersects(box, title)).toBe(false)
      expect(intersects(box, badge)).toBe(false)
      expect(intersects(box, (await card.locator('.lives__cover').boundingBox())!)).toBe(false)
    }
    // Inside the card, on a 375 px screen.
    expect(badge.x + badge.width).toBeLessThanOrEqual(375)
    expect(title.x + title.width).toBeLessThanOrEqual(375)
    // One line: a long title ends in an ellipsis instead of wrapping under the badge.
    const lineHeight = await card.locator('.lives__title').evaluate((el) => parseFloat(getComputedStyle(el).lineHeight))
    expect(title.height).toBeLessThan(lineHeight * 1.5)
    const clipped = await card.locator('.lives__title').evaluate((el) => el.scrollWidth > el.clientWidth)
    if (texts.at(-1)!.includes('秋季新茶品鉴会')) expect(clipped).toBe(true)
  }
  expect(texts.join('\n')).toMatch(/直播中 · \d+ 人看过/)
  expect(texts.join('\n')).toContain('回放')
  expect(texts.join('\n')).toMatch(/预告[\s\S]*\d+月\d+日 \d\d:\d\d 开播/)
}, 60_000)
