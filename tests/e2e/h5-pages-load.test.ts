/**
 * Every H5 page loads without throwing, in Debian's chromium at 375×812 with the seeded shop and a
 * signed-in shopper: 我的优惠券 reached by tapping from 我的 and by its URL shows a coupon the test
 * granted (it once went blank on `process is not defined`), and a table of every route of
 * src/app.config.ts, each opened once with the params its page reads, raises no `pageerror`.
 */
import type { Page } from 'playwright-core'
import { pageToken, phoneBrowser, stationed } from '../helpers/browser'
import { key, saveAddress, sql } from '../helpers/mall'

const h5 = phoneBrowser({ seed: true, viewport: { width: 375, height: 812 }, page: false })

/** A page of its own context that keeps every uncaught error the page throws. */
async function phonePage(): Promise<{ page: Page; errors: string[] }> {
  const context = await h5.newContext()
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`))
  return { page, errors }
}

/** Opens the home so the H5 app signs in (auth.devLogin), and answers the shopper's token. */
async function signIn(page: Page): Promise<string> {
  await page.goto(h5.stack.url)
  await stationed(page)
  let token: string | undefined
  for (let i = 0; i < 150 && !token; i++) {
    token = await pageToken(page).catch(() => undefined)
    if (!token) await page.waitForTimeout(100)
  }
  if (!token) throw new Error('the H5 app did not sign in')
  return token
}

test('我的 → 我的优惠券 by tapping shows the granted coupon, and so does its URL; nothing throws', async () => {
  const { stack } = h5
  const { page, errors } = await phonePage()
  const token = await signIn(page)
  const admin = (await stack.login('admin')).token
  const title = `满30减6 ${key().slice(0, 4)}`
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title, kind: 'fixed', valueFen: 600, thresholdFen: 3000, stock: 10, perUserLimit: 1 },
    admin,
  )
  await stack.ok('coupon', { action: 'claim', couponId }, token)

  await page.goto(`${stack.url}/#/pages/me/index`)
  const me = page.locator('.me').last()
  await me.getByText('我的优惠券', { exact: true }).click()
  await page.waitForURL(/packages\/coupon\/mine/)
  await page.locator('.my-coupons').last().getByText(title).waitFor({ timeout: 15_000 })

  await page.goto(`${stack.url}/#/packages/coupon/mine/index`)
  await page.reload()
  await page.locator('.my-coupons').last().getByText(title).waitFor({ timeout: 15_000 })
  expect(errors).toEqual([])
  await page.context().close()
}, 90_000)

/** The app's config as Taro reads it (its global defineAppConfig hands the object back). */
;(globalThis as { defineAppConfig?: (c: unknown) => unknown }).defineAppConfig = (c) => c
const appConfig = require('../../src/app.config').default as {
  pages: string[]
  subPackages: Array<{ root: string; pages: string[] }>
}

/** Every page route the app declares: the main package's and each subpackage's. */
const ROUTES: string[] = [...appConfig.pages, ...appConfig.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))]

test('every H5 route of app.config loads with the seeded shop and raises no page error', async () => {
  const { stack } = h5
  const { page, errors } = await phonePage()
  const token = await signIn(page)
  const one = async (text: string, params: unknown[] = []) => {
    const rows = await sql(stack, text, params)
    if (!rows[0]) throw new Error(`no seeded row for: ${text}`)
    return rows[0].id as string
  }
  const productId = await one(`SELECT id FROM products ORDER BY created_at LIMIT 1`)
  const roomId = await one(`SELECT id FROM live_rooms WHERE status = 'live' LIMIT 1`)
  const dealId = await one(`SELECT id FROM deal_campaigns LIMIT 1`)
  const groupCampaignId = await one(`SELECT id FROM group_campaigns LIMIT 1`)
  const assistCampaignId = await one(`SELECT id FROM assist_campaigns WHERE status = 'active' LIMIT 1`)
  // The shopper's own group (opened, unpaid) and order, and an assist task they started.
  const { address } = await saveAddress(stack, token)
  const opened = await stack.ok(
    'group',
    { action: 'open', campaignId: groupCampaignId, addressId: address.id, idempotencyKey: key() },
    token,
  )
  const { taskId } = await stack.ok('assist', { action: 'start', campaignId: assistCampaignId }, token)

  const params: Record<string, string> = {
    'packages/goods/detail/index': `id=${productId}`,
    'packages/goods/search/index': `q=${encodeURIComponent('龙井')}`,
    'packages/order/checkout/index': `items=${encodeURIComponent(`${productId}~~1`)}`,
    'packages/order/detail/index': `id=${opened.orderId}`,
    'packages/live/room/index': `id=${roomId}`,
    'packages/live/console/index': `id=${roomId}`,
    'packages/deal/index': `id=${dealId}`,
    'packages/group/index': `id=${opened.groupId}`,
    'packages/group/campaign/index': `id=${groupCampaignId}`,
    'packages/assist/index': `taskId=${taskId}`,
    'packages/assist/campaign/index': `campaignId=${assistCampaignId}`,
  }
  expect(ROUTES.length).toBeGreaterThanOrEqual(24)
  const thrown: Record<string, string[]> = {}
  for (const route of ROUTES) {
    const before = errors.length
    // A fresh load of each page (a hash change alone would leave the previous page's document running).
    await page.goto('about:blank')
    await page.goto(`${stack.url}/#/${route}${params[route] ? `?${params[route]}` : ''}`)
    await page.locator(`.taro_page_stationed[id^="/${route}"]`).waitFor({ timeout: 15_000 })
    // The page's first calls answer (or fail) and it renders what came back: until the network is quiet.
    await page.waitForLoadState('networkidle').catch(() => undefined)
    await page.waitForTimeout(300)
    if (errors.length > before) thrown[route] = errors.slice(before)
  }
  expect(thrown).toEqual({})
  await page.context().close()
}, 240_000)
