/** The H5 home on a 375 px phone: tiles on one line, skeletons on a slow network, and search, in Debian's chromium. */
import type { BrowserContext, Page } from 'playwright-core'
import { phoneBrowser, stationed } from '../helpers/browser'
import { createProduct } from '../helpers/mall'

// No shared page: each test opens its own context (its own storage and routes) on a 375 px phone.
const h5 = phoneBrowser({ seed: true, viewport: { width: 375, height: 667 }, page: false })
const phone = () => h5.newContext()

async function openHome(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await page.goto(h5.stack.url)
  await stationed(page)
  return page
}

test('the four promo tiles keep each label on one line, whole, at 375 px', async () => {
  const context = await phone()
  const page = await openHome(context)
  await page.getByText('新人尝鲜 三款试饮装').first().waitFor({ timeout: 15_000 })
  // The 新人9.9 tile comes with its own call (the deal), which may answer after the banners.
  await page.locator('.home__coupon-title', { hasText: '新人9.9' }).waitFor({ timeout: 15_000 })
  const labels = await page.locator('.home__coupon-title, .home__coupon-hint').evaluateAll((els) =>
    els.map((el) => {
      const style = getComputedStyle(el)
      return {
        text: (el as HTMLElement).innerText,
        height: el.getBoundingClientRect().height,
        lineHeight: parseFloat(style.lineHeight),
        cut: el.scrollWidth > el.clientWidth + 1,
      }
    }),
  )
  expect(labels.map((l) => l.text)).toEqual(['新人9.9', '新人专享 ›', '秒杀', '限时抢 ›', '直播', '边看边买 ›', '领券中心', '好券天天领 ›'])
  for (const l of labels) {
    expect(l.lineHeight).toBeGreaterThan(0)
    // One line: the box is one line high, and nothing is cut off with an ellipsis.
    expect(l.height).toBeLessThan(l.lineHeight * 1.5)
    expect(l.cut).toBe(false)
  }
  await context.close()
}, 60_000)

test('on a slow network the home shows skeletons until the catalog answers, then the products', async () => {
  const context = await phone()
  // Every catalog call is held (a slow 3G round trip or a cold function) until the test has looked at
  // the page meanwhile: a fixed delay could run out before a loaded machine has rendered and read it.
  let answer = () => undefined as void
  const slow = new Promise<void>((r) => (answer = r))
  await context.route('**/api/fn/catalog', async (route) => {
    await slow
    await route.continue()
  })
  const page = await context.newPage()
  await page.goto(h5.stack.url)
  await page.locator('.skeleton').first().waitFor({ state: 'visible', timeout: 15_000 })
  expect(await page.locator('.skeleton-grid__card').count()).toBeGreaterThan(0)
  expect(await page.locator('.home__skeleton-banner').isVisible()).toBe(true)
  // The search box and the tiles are there at once; the products are not yet.
  expect(await page.getByText('搜索茶叶、茶具、零食').isVisible()).toBe(true)
  expect(await page.getByText('新人尝鲜 三款试饮装').count()).toBe(0)
  // The 新人9.9 tile comes with the home's data: its place is held, so the other tiles stay put.
  const flashTile = page.locator('.home__coupon-entry', { hasText: '秒杀' })
  const before = await flashTile.boundingBox()
  answer()
  await page.getByText('新人尝鲜 三款试饮装').first().waitFor({ timeout: 20_000 })
  // The home's two calls (its banners, the product feed) answer apart: the last skeleton goes with the later.
  await page.locator('.skeleton').first().waitFor({ state: 'detached', timeout: 15_000 })
  await expect(page.getByText('新人9.9').isVisible()).resolves.toBe(true)
  expect((await flashTile.boundingBox())?.x).toBe(before?.x)
  await context.close()
}, 60_000)

test('search from the home: 红茶 finds the product, nonsense says nothing was found', async () => {
  const { stack } = h5
  const admin = (await stack.login('admin')).token
  await createProduct(stack, admin, { title: '祁门红茶 特级 罐装', description: '蜜糖香，汤色红艳。', stock: 40 })
  const context = await phone()
  const page = await openHome(context)
  await page.getByText('搜索茶叶、茶具、零食').click()
  await page.waitForURL(/packages\/goods\/search\/index/, { timeout: 15_000 })
  const search = page.locator('.search').last()
  const input = search.locator('input')
  await input.fill('红茶')
  await input.press('Enter')
  await search.getByText('祁门红茶 特级 罐装').waitFor({ timeout: 15_000 })
  expect(await search.innerText()).not.toContain('明前龙井 特级')

  await input.fill('量子纠缠')
  await search.getByText('搜索', { exact: true }).click()
  await search.getByText('没有找到与“量子纠缠”相关的商品，换个词试试').waitFor({ timeout: 15_000 })

  await search.getByText('祁门红茶 特级 罐装').waitFor({ state: 'detached', timeout: 5_000 })
  await context.close()
}, 60_000)
