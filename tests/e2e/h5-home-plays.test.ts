/**
 * The H5 home of the demo shop on a 375×812 phone: the 拼团 · 砍价 strip under the four tiles (which
 * stay on one row), a tap into the group campaign page; and when the plays can't be read, no strip
 * and nothing else missing.
 */
import { phoneBrowser, stationed } from '../helpers/browser'

const h5 = phoneBrowser({ seed: true, viewport: { width: 375, height: 812 }, page: false })

test('375 px: the strip sits under the four tiles, which keep one row, and 拼团价 opens the group campaign page', async () => {
  const context = await h5.newContext()
  const page = await context.newPage()
  await page.goto(h5.stack.url)
  await stationed(page)
  const strip = page.locator('.plays')
  await strip.getByText('拼团价 ¥99.00').waitFor({ timeout: 20_000 })
  await strip.getByText('砍到 ¥18.00').waitFor()
  expect(await strip.innerText()).toMatch(/拼团 · 砍价[\s\S]*竹制茶盘 储水式[\s\S]*2人团[\s\S]*¥129\.00[\s\S]*麻辣牛肉干 250g/)

  // The four tiles: one row, each inside the screen; the strip below them, no wider than the screen.
  const tiles = await page.locator('.home__coupon-entry').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON()))
  expect(tiles).toHaveLength(4)
  for (const t of tiles) {
    expect(t.y).toBe(tiles[0].y)
    expect(t.x).toBeGreaterThanOrEqual(0)
    expect(t.x + t.width).toBeLessThanOrEqual(375)
  }
  const box = (await strip.boundingBox())!
  expect(box.y).toBeGreaterThanOrEqual(tiles[0].y + tiles[0].height)
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(375)
  // Each card's price is whole, never cut with an ellipsis.
  const prices = await strip
    .locator('.plays__price, .plays__was')
    .evaluateAll((els) => els.map((el) => ({ text: (el as HTMLElement).innerText, cut: el.scrollWidth > el.clientWidth + 1 })))
  expect(prices).toEqual([
    { text: '拼团价 ¥99.00', cut: false },
    { text: '¥129.00', cut: false },
    { text: '砍到 ¥18.00', cut: false },
    { text: '¥68.00', cut: false },
  ])
  // The page itself never scrolls sideways: the strip's cards scroll inside it.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)

  await strip.getByText('拼团价 ¥99.00').click()
  await page.waitForURL(/packages\/group\/campaign\/index\?id=gc_/, { timeout: 15_000 })
  await stationed(page)
  const campaign = page.locator('.group').last()
  await campaign.getByText('发起拼团 ¥99.00').waitFor({ timeout: 15_000 })
  expect(await campaign.innerText()).toContain('竹制茶盘 储水式')
  expect(await campaign.innerText()).toContain('2人成团 · 限时 24 小时')
  await context.close()
}, 90_000)

test('when the plays cannot be read the home shows no strip, and the tiles and products are all there', async () => {
  const context = await h5.newContext()
  // catalog.plays fails (a server error); every other catalog call goes through.
  await context.route('**/api/fn/catalog', async (route) => {
    if (route.request().postDataJSON()?.action === 'plays') await route.fulfill({ status: 500, body: 'boom' })
    else await route.continue()
  })
  const page = await context.newPage()
  const failed = page.waitForResponse((r) => r.url().includes('/api/fn/catalog') && r.request().postDataJSON()?.action === 'plays', {
    timeout: 20_000,
  })
  await page.goto(h5.stack.url)
  await stationed(page)
  expect((await failed).status()).toBe(500)
  await page.getByText('新人尝鲜 三款试饮装').first().waitFor({ timeout: 20_000 })
  await page.getByText('好券天天领 ›').waitFor()
  expect(await page.locator('.plays').count()).toBe(0)
  expect(await page.locator('.home').first().innerText()).not.toContain('重试')
  await context.close()
}, 60_000)
