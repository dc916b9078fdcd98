/**
 * 客户 in the console (dist/admin) in chromium at a desktop's size: the segment cards show the
 * counts the API answers, a card filters the list (kept in the URL across a reload), a search finds a
 * customer by phone digits (masked in the table), the customer's page shows RFM and segment, and
 * 发券 with `?issue=<couponId>` issues to the whole segment after a confirm that says how many.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../helpers/browser'
import { sql } from '../helpers/mall'
import { customer, order } from '../helpers/rfm'
import { ROOT, startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

let stack: Stack
let browser: Browser
let page: Page
let owner: string
let couponId: string

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist/admin/index.html'))) throw new Error('dist/admin is missing: run `npm run build:admin` first')
  stack = await startStack({ seed: true })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } })
  owner = (await stack.login('admin')).token
  // Three customers who bought once, long ago, for little; and a big spender who paid yesterday,
  // many times: above the shop's average on all three (重要价值客户), whatever the demo shop holds.
  for (const i of [1, 2, 3]) {
    await customer(stack, `u_e2e_small${i}`, `散客${i}`)
    await order(stack, `u_e2e_small${i}`, 1000, 60, 'completed')
  }
  await customer(stack, 'u_e2e_vip', '茶友老周', '13712345678')
  for (let i = 1; i <= 30; i++) await order(stack, 'u_e2e_vip', 500_000, 1, 'completed')
  ;({ couponId } = await stack.ok(
    'admin',
    {
      action: 'createCoupon',
      title: '老客回购券',
      kind: 'fixed',
      valueFen: 500,
      thresholdFen: 0,
      stock: 10,
      perUserLimit: 1,
      validDays: 7,
    },
    owner,
  ))
  const link = await until(() => /\/admin\/login\/once\?token=([\w.-]+)/.exec(stack.output())?.[0], 20_000)
  await page.goto(`${stack.url}${link}`)
  await page.getByRole('button', { name: '进入商家后台' }).click()
  await page.waitForURL(/\/admin\/dashboard$/, { timeout: 20_000 })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

test('segment cards, a filter kept in the URL, search by phone digits, the customer page', async () => {
  await page.goto(`${stack.url}/admin/customers`)
  const segs = await stack.ok('admin', { action: 'segments' }, owner)
  const card = page.getByTestId('segment-important_value')
  await until(async () => (await card.innerText()).includes(`${segs.counts.important_value}`), 15_000)
  expect(await card.innerText()).toContain('重要价值客户')
  await page.getByTestId('averages').waitFor()
  await page.locator('canvas').first().waitFor()

  await card.click()
  await page.waitForURL(/segment=important_value/)
  await page.reload()
  const table = page.getByTestId('member-table')
  await table.getByText('茶友老周').waitFor({ timeout: 15_000 })
  expect(await table.innerText()).toContain('重要价值客户')

  await page.getByPlaceholder('昵称 / 手机号（至少4位）').fill('2345678')
  await page.getByRole('button', { name: '搜索' }).click()
  await page.waitForURL(/q=2345678/)
  await until(async () => (await table.innerText()).includes('137****5678'), 15_000)
  expect(await table.innerText()).toContain('1 天前')

  await table.getByText('茶友老周').click()
  await page.waitForURL(/\/admin\/customers\/u_e2e_vip$/)
  await page.getByTestId('member-nickname').waitFor()
  const text = await page.locator('main, .ant-layout-content').first().innerText()
  expect(text).toContain('重要价值客户')
  expect(text).toContain('30')
  expect(text).toContain('¥150,000.00')
}, 60_000)

test('发券 with ?issue=<couponId> on a segment: the confirm says how many, then 已发 N 张', async () => {
  const n = (await stack.ok('admin', { action: 'segments' }, owner)).counts.important_value as number
  await page.goto(`${stack.url}/admin/customers?segment=important_value&issue=${couponId}`)
  const dialog = page.getByRole('dialog')
  await dialog.getByText(`整个「重要价值客户」分群（${n} 人，不限搜索条件）`).waitFor({ timeout: 15_000 })
  await dialog.getByRole('button', { name: '发放' }).click()
  const confirm = page.locator('.ant-modal-confirm')
  await confirm.getByText(`「重要价值客户」的 ${n} 位客户`).waitFor()
  await confirm.getByRole('button', { name: `发放给 ${n} 人` }).click()
  await dialog.getByText(`已发 ${n} 张`).waitFor({ timeout: 15_000 })
  const held = await sql(stack, 'SELECT user_id FROM user_coupons WHERE coupon_id = $1', [couponId])
  expect(held).toHaveLength(n)
  expect(held.map((r) => r.user_id)).toContain('u_e2e_vip')
  await dialog.getByRole('button', { name: '完成' }).click()
  await page.waitForURL((u) => !u.search.includes('issue='))
}, 60_000)
