/**
 * The console on the shop's clock and its price asks (dist/admin in chromium): in a browser in Los
 * Angeles 新建拼团's default window is Beijing time and saves as shown, the assist edit dialog offers
 * no day already over in Beijing; a member price at or below a running 拼团价 asks first (naming the
 * play), and so does a group price not below the SKU's member price.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { consoleBrowser, DESKTOP } from '../helpers/browser'
import { createProduct, key, sql } from '../helpers/mall'
import { until } from '../helpers/wait'

const desk = consoleBrowser()
const HOUR = 3_600_000

/** An instant as Beijing reads it, 'YYYY-MM-DD HH:mm'. */
const beijing = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ')

/** A console page in a browser whose clock is Los Angeles', signed in as the owner (the desk page's session). */
async function laPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await desk.browser.newContext({
    ...DESKTOP,
    timezoneId: 'America/Los_Angeles',
    storageState: await desk.page.context().storageState(),
  })
  return { context, page: await context.newPage() }
}

const openIn = async (page: Page, path: string) => {
  await page.goto(`${desk.stack.url}/admin${path}`)
  await page.getByTestId('user-menu').waitFor({ timeout: 20_000 })
}

/** Picks the product (single SKU) in the deal desks' SKU picker. */
async function pickProduct(page: Page, title: string) {
  const picker = page.getByLabel('选择商品')
  await picker.click()
  await picker.fill(title)
  await page.locator('.ant-select-item-option', { hasText: title }).click()
}

test('新建拼团 in Los Angeles: the default window is Beijing now, and the campaign saves the window shown', async () => {
  const { stack, owner } = desk
  const title = `时区拼团茶 ${key().slice(0, 4)}`
  await createProduct(stack, owner, { title, priceFen: 5900, stock: 50 })
  const { context, page } = await laPage()
  expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/Los_Angeles')
  await openIn(page, '/marketing/group/new')
  const inputs = page.locator('.ant-picker-range input')
  await inputs.first().waitFor()
  const before = Date.now()
  const [start, end] = [await inputs.nth(0).inputValue(), await inputs.nth(1).inputValue()]
  // Beijing's wall clock (the minute may turn while the test reads it), not Los Angeles' 15 or 16 hours behind.
  expect([beijing(before - 60_000), beijing(before), beijing(before + 60_000)]).toContain(start)
  expect(end.slice(11)).toBe(start.slice(11))

  await pickProduct(page, title)
  await page.getByText('售价 ¥59.00 · 库存 50').waitFor()
  await page.getByLabel('拼团价').fill('29')
  await page.getByRole('button', { name: '创建活动' }).click()
  await page.waitForURL(/\/marketing\/group\/gc_\w+$/, { timeout: 30_000 })
  const campaignId = /group\/(gc_\w+)$/.exec(page.url())![1]!
  const { campaign } = await stack.ok('admin', { action: 'groupCampaign', campaignId }, owner)
  expect(beijing(Date.parse(campaign.startsAt))).toBe(start)
  expect(beijing(Date.parse(campaign.endsAt))).toBe(end)
  // The campaign page shows the same window.
  await page.getByText(`${start} 至 ${end}`).waitFor()
  await context.close()
}, 90_000)

test('the assist 修改活动 picker in Los Angeles offers no day already over in Beijing; quotes are 「」', async () => {
  const { stack, owner } = desk
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '助力奖励券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 100, perUserLimit: 1 },
    owner,
  )
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createAssistCampaign',
      title: '时区助力',
      face: 'coupon',
      rewardCouponId: couponId,
      helpsNeeded: 2,
      taskHours: 24,
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + 7 * 24 * HOUR).toISOString(),
    },
    owner,
  )
  const { context, page } = await laPage()
  await openIn(page, `/marketing/assist/${campaignId}`)
  await page.getByRole('button', { name: '修改活动' }).click()
  const dialog = page.locator('.ant-modal', { hasText: '修改活动' })
  await dialog.getByText('立即结束请用「结束活动」').waitFor()
  await dialog.getByLabel('结束时间').click()
  const today = beijing(Date.now()).slice(0, 10)
  const yesterday = beijing(Date.now() - 24 * HOUR).slice(0, 10)
  const cell = (day: string) => page.locator(`.ant-picker-dropdown td[title="${day}"]`)
  await cell(today).waitFor()
  // Yesterday in Beijing may sit on the previous month's page: when shown, it is disabled.
  if ((await cell(yesterday).count()) > 0) expect(await cell(yesterday).getAttribute('class')).toContain('ant-picker-cell-disabled')
  expect(await cell(today).getAttribute('class')).not.toContain('ant-picker-cell-disabled')
  // The picker offers no 此刻 (the browser's clock, not the shop's).
  expect(await page.locator('.ant-picker-dropdown .ant-picker-now-btn').count()).toBe(0)
  // No “” in the console's text.
  expect(await page.locator('body').innerText()).not.toMatch(/[“”]/)
  await context.close()
}, 60_000)

test('a member price at or below a running 拼团价 asks first, naming the play; cancelling saves nothing', async () => {
  const { stack, owner, page } = desk
  const title = `会员价拼团茶 ${key().slice(0, 4)}`
  // A picture (the editor saves no product without one).
  const productId = await createProduct(stack, owner, { title, priceFen: 12_900, stock: 50, images: ['/media/art/120/茶.svg'] })
  await stack.ok(
    'admin',
    {
      action: 'createGroupCampaign',
      title: '两人团',
      productId,
      groupPriceFen: 9900,
      groupSize: 2,
      groupHours: 24,
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + 7 * 24 * HOUR).toISOString(),
      onExpiry: 'refund',
    },
    owner,
  )
  const member = async () => (await sql(stack, `SELECT member_price_fen FROM skus WHERE product_id = $1`, [productId]))[0].member_price_fen
  await desk.open(`/products/${productId}`)
  const field = page.getByLabel('会员价', { exact: true })
  await page.getByLabel('价格', { exact: true }).waitFor()
  await until(async () => ((await page.getByLabel('商品标题').inputValue()) === title ? true : undefined))
  await field.fill('95')
  await page.getByRole('button', { name: '保存', exact: true }).click()
  const ask = page.locator('.ant-modal-confirm', { hasText: '会员价不高于进行中的活动价' })
  await ask.waitFor()
  expect(await ask.innerText()).toContain('会员价 ¥95.00，拼团「两人团」拼团价 ¥99.00')
  await ask.getByRole('button', { name: '返回修改' }).click()
  await ask.waitFor({ state: 'detached' })
  expect(await member()).toBeNull()

  // Above the group price: no ask, saved.
  await field.fill('100')
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await page.getByText('已保存').first().waitFor()
  expect(await member()).toBe(10_000)
  expect(await page.locator('.ant-modal-confirm').count()).toBe(0)

  // At it, confirmed: saved.
  await field.fill('99')
  await page.getByRole('button', { name: '保存', exact: true }).click()
  await ask.waitFor()
  await ask.getByRole('button', { name: '确认保存' }).click()
  await until(async () => ((await member()) === 9900 ? true : undefined))
}, 90_000)

test('新建拼团 with a group price not below the SKU member price asks first; cancelling creates nothing', async () => {
  const { stack, owner, page } = desk
  const title = `会员价开团茶 ${key().slice(0, 4)}`
  const productId = await createProduct(stack, owner, { title, priceFen: 12_900, memberPriceFen: 9500, stock: 50 })
  const campaigns = async () => (await sql(stack, `SELECT count(*)::int AS n FROM group_campaigns WHERE product_id = $1`, [productId]))[0].n
  await desk.open('/marketing/group/new')
  await pickProduct(page, title)
  await page.getByText('售价 ¥129.00').first().waitFor()
  await page.getByLabel('拼团价').fill('99')
  await page.getByRole('button', { name: '创建活动' }).click()
  const ask = page.locator('.ant-modal-confirm', { hasText: '拼团价不低于会员价' })
  await ask.waitFor()
  expect(await ask.innerText()).toContain('拼团价 ¥99.00，该规格的会员价 ¥95.00')
  await ask.getByRole('button', { name: '返回修改' }).click()
  await ask.waitFor({ state: 'detached' })
  expect(await campaigns()).toBe(0)

  await page.getByRole('button', { name: '创建活动' }).click()
  await ask.waitFor()
  await ask.getByRole('button', { name: '确认创建' }).click()
  await page.waitForURL(/\/marketing\/group\/gc_\w+$/, { timeout: 30_000 })
  expect(await campaigns()).toBe(1)
}, 90_000)
