/**
 * The product page in the H5 build (chromium, phone-sized), and a page whose code chunk can't be
 * fetched: the tap says so and 重试 opens it once the network is back.
 */
import type { Page } from 'playwright-core'
import { phoneBrowser, stationed } from '../helpers/browser'

const phone = phoneBrowser({ seed: true, env: { SHOP_SERVICE_PHONE: '400-820-8820' } })

/** Opens the product's page by its link (hash routing, as the H5 build uses), as a shopper following a link does. */
async function openProduct(title: string) {
  const { stack, page } = phone
  const { token } = await stack.ok('auth', { action: 'devLogin', openid: 'h5-product-lookup' })
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, token)
  const product = items.find((p: { title: string }) => p.title === title)
  await page.goto(`${stack.url}/#/packages/goods/detail/index?id=${product.id}`)
  await stationed(page)
  await page.locator('.goods').last().getByText('立即购买').waitFor({ timeout: 15_000 })
}
const modal = (p: Page) => p.locator('.taro__modal')

test('the product page shows the parameter table, the detail images, and 客服 as the shop’s phone', async () => {
  const { stack, page } = phone
  await openProduct('明前龙井 特级')
  const detail = page.locator('.goods').last()
  await detail.getByText('商品参数').waitFor({ timeout: 15_000 })
  const text = await detail.innerText()
  for (const part of ['产地', '浙江杭州 西湖产区', '保质期', '18 个月', '客服', '购物车', '分享']) expect(text).toContain(part)
  // Lazy: a detail image below the fold has no source until it is scrolled to.
  const images = detail.locator('.goods__detail-img img')
  expect(await images.count()).toBe(3)
  const src = (n: number) => images.nth(n).evaluate((i) => decodeURIComponent((i as HTMLImageElement).src))
  expect(await src(2)).toBe('')
  for (let n = 0; n < 3; n++) await images.nth(n).scrollIntoViewIfNeeded()
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('.goods__detail-img img')).every((i) => (i as HTMLImageElement).src),
  )
  expect(await src(0)).toMatch(/\/media\/art\/\d+\/西湖产区\.svg\?wide=1$/)
  expect(await src(2)).toMatch(/\/冲泡指南\.svg\?wide=1$/)

  // 分享 on H5 copies the link, which names the shopper as the sharer.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url })
  await detail.locator('.goods__share').click()
  await page.getByText('链接已复制，发给好友即可').waitFor({ timeout: 15_000 })
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toMatch(
    /^明前龙井 特级 ¥128\.00 起 http:\/\/127\.0\.0\.1:\d+\/#\/packages\/goods\/detail\/index\?id=p_\w+&sharerId=u_\w+$/,
  )

  await detail.locator('.goods__icon').filter({ hasText: '客服' }).click()
  await modal(page).getByText('客服电话 400-820-8820').waitFor({ timeout: 15_000 })
  await modal(page).getByText('取消', { exact: true }).click()
  await modal(page).waitFor({ state: 'hidden', timeout: 15_000 })
}, 60_000)

test('a page whose chunk fails offline: the tap says 网络不给力 and offers 重试, which opens it once back online', async () => {
  const { page } = phone
  await openProduct('福鼎白茶 白牡丹 150g')
  // Offline from here: every script or style not fetched yet fails (the checkout page's chunk among them).
  const fetched = new Set<string>()
  page.on('requestfinished', (r) => fetched.add(r.url()))
  await page.waitForTimeout(300)
  const offline = (url: URL) => /\/(js|css)\/.+\.(js|css)$/.test(url.pathname) && !fetched.has(url.href)
  const blocked: string[] = []
  await page.route(offline, (route) => {
    blocked.push(route.request().url())
    return route.abort('internetdisconnected')
  })
  const detail = page.locator('.goods').last()
  const url = page.url()

  await detail.getByText('立即购买').click()
  await modal(page).getByText('网络不给力，页面没有打开').waitFor({ timeout: 10_000 })
  expect(blocked.length).toBeGreaterThan(0)
  await modal(page).getByText('取消', { exact: true }).click()
  await page.waitForTimeout(300)
  expect(page.url()).toBe(url) // 取消: still on the product, which still works
  await expect(detail.getByText('立即购买').isVisible()).resolves.toBe(true)

  await detail.getByText('立即购买').click()
  await modal(page).getByText('网络不给力，页面没有打开').waitFor({ timeout: 10_000 })
  await page.unroute(offline)
  await modal(page).getByText('重试', { exact: true }).click()
  await page.waitForURL(/packages\/order\/checkout\/index\?items=/, { timeout: 15_000 })
  await page.locator('.checkout').last().getByText('提交订单').waitFor({ timeout: 15_000 })
}, 60_000)

test('a tab whose chunk fails offline: the tab bar tap says 网络不给力; 取消 keeps the page shown, 重试 opens the tab once back online', async () => {
  const { stack, page } = phone
  await page.goto(`${stack.url}/#/pages/index/index`)
  await page.getByText('为你推荐').waitFor({ timeout: 15_000 })
  await page.waitForTimeout(300)
  // Offline from here: every script or style not fetched yet fails (the 我的 tab's chunk among them).
  const fetched = new Set<string>()
  page.on('requestfinished', (r) => fetched.add(r.url()))
  const offline = (url: URL) => /\/(js|css)\/.+\.(js|css)$/.test(url.pathname) && !fetched.has(url.href)
  await page.route(offline, (route) => route.abort('internetdisconnected'))
  const meTab = page.locator('.weui-tabbar__item').nth(3)

  await meTab.click()
  await modal(page).getByText('网络不给力，页面没有打开').waitFor({ timeout: 10_000 })
  await modal(page).getByText('取消', { exact: true }).click()
  await page.waitForURL(/#\/pages\/index\/index/, { timeout: 10_000 })
  await expect(page.getByText('为你推荐').isVisible()).resolves.toBe(true)

  await meTab.click()
  await modal(page).getByText('网络不给力，页面没有打开').waitFor({ timeout: 10_000 })
  await page.unroute(offline)
  await modal(page).getByText('重试', { exact: true }).click()
  await page.getByText('全部订单 ›').waitFor({ timeout: 15_000 })
  expect(page.url()).toMatch(/#\/pages\/me\/index/)
}, 60_000)
