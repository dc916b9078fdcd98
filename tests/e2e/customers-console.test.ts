/**
 * 客户 in the console (dist/admin) in chromium at a desktop's size: the segment cards show the
 * counts the API answers, a card filters the list (kept in the URL across a reload), a search finds a
 * customer by phone digits (masked in the table), the customer's page shows RFM and segment, and
 * 发券 with `?issue=<couponId>` issues to the whole segment after a confirm that says how many.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { DESKTOP, launchChromium, saveConsolePng } from '../helpers/browser'
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
  page = await browser.newPage(DESKTOP)
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
  await saveConsolePng(page, 'console-customers')

  await card.click()
  await page.waitForURL(/segment=important_value/)
  await page.reload()
  const table = page.getByTestId('member-table')
  await table.getByText('茶友老周').waitFor({ timeout: 15_000 })
  expect(await table.innerText()).toContain('重要价值客户')

  await page.getByPlaceholder('昵称 / 手机号（至少4位）').fill('2345678')
  await page.getByRole('button', { name: '搜索' }).click()
  await page.waitForURL(/q=2345678/)
  // Paid 1 day before the shop's today when the fixture was written; the label counts from the shop's
  // today when read, which is a day later if Shanghai's midnight passed meanwhile: either day it reads.
  const daysSincePaid = async () =>
    (
      await sql(
        stack,
        `SELECT ((now() AT TIME ZONE 'Asia/Shanghai')::date - max(paid_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days
           FROM orders WHERE user_id = 'u_e2e_vip'`,
      )
    )[0].days as number
  const paidBefore = await daysSincePaid()
  await until(async () => (await table.innerText()).includes('137****5678'), 15_000)
  const listed = await table.innerText()
  const paidAfter = await daysSincePaid()
  expect([1, 2]).toContain(paidBefore)
  expect([`${paidBefore} 天前`, `${paidAfter} 天前`].some((label) => listed.includes(label))).toBe(true)

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

test('发券 offers every coupon past the first page by title, paused ones marked; a lost answer, a reload and 发放 again give nobody a second coupon', async () => {
  const create = async (title: string) =>
    (
      await stack.ok(
        'admin',
        { action: 'createCoupon', title, kind: 'fixed', valueFen: 300, thresholdFen: 0, stock: 100, perUserLimit: 1, validDays: 7 },
        owner,
      )
    ).couponId as string
  // The oldest of 24 coupons: the coupon list's second page (20 a page, newest first).
  const early = await create('早年回馈券')
  for (let i = 1; i <= 21; i++) await create(`批量券${i}`)
  const paused = await create('暂停中的券')
  await stack.ok('admin', { action: 'setCouponStatus', couponId: paused, status: 'paused' }, owner)
  const ended = await create('已结束的券')
  await stack.ok('admin', { action: 'setCouponStatus', couponId: ended, status: 'ended' }, owner)
  const n = (await stack.ok('admin', { action: 'segments' }, owner)).counts.important_value as number

  await page.goto(`${stack.url}/admin/customers?segment=important_value&issue=${early}`)
  const dialog = page.getByRole('dialog')
  await dialog.getByText('早年回馈券（无门槛减3）').waitFor({ timeout: 15_000 })
  expect(await dialog.innerText()).not.toContain(early)
  expect(await dialog.innerText()).not.toContain('不能发放')
  await dialog.locator('.ant-select').click()
  await page.keyboard.type('暂停中')
  await page.locator('.ant-select-item-option', { hasText: '暂停中的券（无门槛减3） · 已暂停' }).waitFor()
  await page.keyboard.press('Escape')
  await dialog.locator('.ant-select').click()
  await page.keyboard.type('已结束的')
  await page.getByText('没有进行中或已暂停的优惠券').waitFor()
  await page.keyboard.press('Escape')
  // The select shows the chosen coupon (its title attribute; antd also announces it in an aria-live span).
  await dialog.getByTitle('早年回馈券（无门槛减3）').waitFor()

  // The grant commits, its answer is lost on the way back.
  await page.route('**/admin/api/fn/admin', async (route) => {
    if (!route.request().postData()?.includes('"issueCoupon"')) return route.continue()
    await route.fetch()
    await route.abort()
  })
  await dialog.getByRole('button', { name: '发放' }).click()
  await page
    .locator('.ant-modal-confirm')
    .getByRole('button', { name: `发放给 ${n} 人` })
    .click()
  await dialog.getByText('网络连接失败').waitFor({ timeout: 15_000 })
  await page.unroute('**/admin/api/fn/admin')
  const held = async () => (await sql(stack, 'SELECT count(*)::int AS n FROM user_coupons WHERE coupon_id = $1', [early]))[0].n
  expect(await held()).toBe(n)

  await page.reload()
  await dialog.getByText('早年回馈券（无门槛减3）').waitFor({ timeout: 15_000 })
  await dialog.getByRole('button', { name: '发放' }).click()
  await page
    .locator('.ant-modal-confirm')
    .getByRole('button', { name: `发放给 ${n} 人` })
    .click()
  await dialog.getByText('已发 0 张').waitFor({ timeout: 15_000 })
  expect(await held()).toBe(n)
  await dialog.getByRole('button', { name: '完成' }).click()
  await page.waitForURL((u) => !u.search.includes('issue='))
}, 90_000)

test('an emoji nickname keeps its avatar letter; a refunded-only customer reads 无消费; Back undoes a filter', async () => {
  await customer(stack, 'u_e2e_emoji', '🍵茶客')
  await order(stack, 'u_e2e_emoji', 800, 3, 'refunded')
  await page.goto(`${stack.url}/admin/customers`)
  const table = page.getByTestId('member-table')
  await table.locator('tr').nth(1).waitFor({ timeout: 15_000 })
  await page.getByPlaceholder('昵称 / 手机号（至少4位）').fill('茶客')
  await page.getByRole('button', { name: '搜索' }).click()
  await page.waitForURL(/q=/)
  const row = table.locator('tr', { hasText: '🍵茶客' })
  await row.waitFor({ timeout: 15_000 })
  expect((await row.locator('.ant-avatar').innerText()).trim()).toBe('🍵')
  const cells = await row.locator('td').allInnerTexts()
  expect(cells).toContain('无消费')
  expect(cells.join('|')).not.toContain('从未消费')

  await page.locator('.ant-select', { hasText: '最近消费' }).click()
  await page.locator('.ant-select-item-option', { hasText: '消费金额' }).click()
  await page.waitForURL(/sort=spent/)
  await page.goBack()
  await page.waitForURL((u) => u.pathname === '/admin/customers' && !u.search.includes('sort=') && u.search.includes('q='))
  await page.locator('.ant-select', { hasText: '最近消费' }).waitFor()
  await page.goBack()
  await page.waitForURL((u) => u.pathname === '/admin/customers' && u.search === '')
  await until(async () => (await page.getByPlaceholder('昵称 / 手机号（至少4位）').inputValue()) === '', 10_000)
}, 60_000)
