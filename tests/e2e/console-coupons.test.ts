/**
 * The coupon desk in chromium at a desktop's size: the owner creates a percent coupon without a cap,
 * is asked about it in a dialog, confirms, finds it in the list with its rule as the shopper reads it,
 * pauses it there, and the claim center (API) no longer offers it.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { DESKTOP, launchChromium } from '../helpers/browser'
import { ROOT, startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

let stack: Stack
let browser: Browser
let page: Page
let owner: string
let shopper: string

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/admin/index.html'))) throw new Error('dist/admin is missing: run `npm run build:admin` first')
  stack = await startStack()
  browser = await launchChromium()
  page = await browser.newPage(DESKTOP)
  owner = (await stack.login('admin')).token
  shopper = (await stack.login('coupon-desk-shopper', '小茶')).token
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

const centerIds = async () => (await stack.ok('coupon', { action: 'center' }, shopper)).items.map((c: any) => c.couponId) as string[]

test('a percent coupon without a cap: warned, confirmed, listed with its rule; paused, it leaves the claim center', async () => {
  const link = await until(() => /\/admin\/login\/once\?token=([\w.-]+)/.exec(stack.output())?.[0], 20_000)
  await page.goto(`${stack.url}${link}`)
  await page.getByRole('button', { name: '进入商家后台' }).click()
  await page.getByTestId('user-menu').waitFor({ timeout: 20_000 })

  await page.goto(`${stack.url}/admin/marketing/coupons/new`)
  await page.getByPlaceholder('如：新客满99减10').fill('全场85折')
  await page.getByText('折扣券', { exact: true }).click()
  await page.getByPlaceholder('8.5').fill('8.5')
  // The card previews the rule as the shopper will read it.
  await until(async () => (await page.getByTestId('preview-rule').innerText()) === '8.5折', 10_000)
  const before = (await stack.ok('admin', { action: 'coupons' }, owner)).items.length

  await page.getByRole('button', { name: '创建优惠券' }).click()
  const dialog = page.locator('.ant-modal-confirm')
  await dialog.waitFor({ timeout: 10_000 })
  expect(await dialog.getByTestId('confirm-warnings').innerText()).toContain('没有设置最多减多少')
  // Nothing was created while asking.
  expect((await stack.ok('admin', { action: 'coupons' }, owner)).items).toHaveLength(before)
  await dialog.getByRole('button', { name: '确认创建' }).click()
  await page.waitForURL(/\/admin\/marketing\/coupons\/cp[^/]*$/, { timeout: 20_000 })
  await until(async () => (await page.getByTestId('coupon-rule').innerText()) === '8.5折', 10_000)

  const { items } = await stack.ok('admin', { action: 'coupons' }, owner)
  expect(items).toHaveLength(before + 1)
  const made = items[0]
  expect(made).toMatchObject({ title: '全场85折', kind: 'percent', percentOff: 15, maxOffFen: null, ruleText: '8.5折', status: 'active' })
  expect(await centerIds()).toContain(made.couponId)

  await page.goto(`${stack.url}/admin/marketing/coupons`)
  const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '全场85折' })
  await row.waitFor({ timeout: 20_000 })
  expect(await row.getByTestId('rule-text').innerText()).toBe('8.5折')
  expect(await row.innerText()).toContain('进行中')

  await row.getByRole('button', { name: '暂停' }).click()
  await page.locator('.ant-popover').getByRole('button', { name: '暂停' }).click()
  await until(async () => (await row.innerText()).includes('已暂停'), 10_000)
  expect((await stack.ok('admin', { action: 'coupon', couponId: made.couponId }, owner)).coupon.status).toBe('paused')
  expect(await centerIds()).not.toContain(made.couponId)

  // The 已暂停 tab, kept in the URL, lists it.
  await page.getByRole('tab', { name: '已暂停' }).click()
  await page.waitForURL(/status=paused/)
  await page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '全场85折' }).waitFor({ timeout: 10_000 })
}, 120_000)

test('the coupon list reads at 1366 and 1280 px: every column title on one line', async () => {
  // Signed in by the test above (same page); a coupon so the table has a row.
  await stack.ok(
    'admin',
    { action: 'createCoupon', title: '表头测试', kind: 'fixed', valueFen: 500, thresholdFen: 2000, stock: 100, perUserLimit: 1 },
    owner,
  )
  for (const width of [1366, 1280]) {
    await page.setViewportSize({ width, height: 800 })
    await page.goto(`${stack.url}/admin/marketing/coupons`)
    await page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '表头测试' }).first().waitFor({ timeout: 20_000 })
    // Lines a title takes: the distinct tops of its text's line boxes.
    const lines = await page.locator('.ant-table-thead th').evaluateAll((ths) =>
      ths
        .filter((th) => th.textContent!.trim() !== '')
        .map((th) => {
          const range = document.createRange()
          range.selectNodeContents(th)
          return [th.textContent!.trim(), new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size] as const
        }),
    )
    expect(lines.map(([t]) => t)).toEqual(expect.arrayContaining(['已领/库存', '已用', '优惠金额', '领取时间']))
    expect(lines.filter(([, n]) => n !== 1)).toEqual([])
  }
  await page.setViewportSize(DESKTOP.viewport)
}, 60_000)
